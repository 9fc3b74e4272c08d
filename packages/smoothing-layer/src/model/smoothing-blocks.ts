import type * as tfl from '@tensorflow/tfjs-layers';
import { GaussianSmoothing } from '../layer/gaussian-smoothing';
import { PaperSmoothingBlock } from '../layer/paper-smoothing-block';
import type { SmoothingBlockKind } from './insert-smoothing';

/** One smoothing block found in a model, described so a result row can say which block it used. */
export interface SmoothingBlockDescription {
  /** The block layer's name. */
  layer: string;
  /** The layer it smooths (its input's source layer). */
  after: string;
  /** `'paper'` (the authors' residual block) or `'gaussian'` (the bare filter). */
  block: SmoothingBlockKind;
  /** One line, e.g. `paper gaussian 3×3 σ=authors-width-rule (2.15) reflect after pool1`. */
  label: string;
}

/**
 * Lists the smoothing blocks ({@link PaperSmoothingBlock}, {@link GaussianSmoothing})
 * of a model in layer order, each with a one-line label for tables and reports.
 * An empty list means the model has no block.
 *
 * @example
 * smoothingBlocks(insertSmoothing(lenet5(), { after: 'pool1', block: 'paper' }))[0].label;
 * // 'paper gaussian 3×3 σ=authors-width-rule (2.15) reflect after pool1'
 */
export function smoothingBlocks(model: tfl.LayersModel): SmoothingBlockDescription[] {
  const found: SmoothingBlockDescription[] = [];
  for (const layer of model.layers) {
    const after = layer.inboundNodes[0]?.inboundLayers[0]?.name ?? '?';
    if (layer instanceof PaperSmoothingBlock) {
      const width = layer.inboundNodes[0]?.inputTensors[0]?.shape[2];
      const sigma =
        layer.sigma === null
          ? ''
          : layer.sigma === 'authors-width-rule'
            ? ` σ=authors-width-rule${typeof width === 'number' ? ` (${round(layer.sigmaForWidth(width) as number)})` : ''}`
            : ` σ=${layer.sigma}`;
      found.push({
        layer: layer.name,
        after,
        block: 'paper',
        label: `paper ${layer.filter} ${layer.kernelSize}×${layer.kernelSize}${sigma} ${layer.padding} after ${after}`,
      });
    } else if (layer instanceof GaussianSmoothing) {
      found.push({
        layer: layer.name,
        after,
        block: 'gaussian',
        label: `gaussian ${layer.kernelSize}×${layer.kernelSize} σ=${layer.sigma}${layer.trainableSigma ? ' (trainable)' : ''} ${layer.padding} after ${after}`,
      });
    }
  }
  return found;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
