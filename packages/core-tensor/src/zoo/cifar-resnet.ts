import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../errors/trustgrad-error';
import { resolveOptions } from '../options/resolve-options';
import type { ZooModelOptions } from './model-options';
import { blockContext, convBn, residualStagesAndHead } from './residual-block';

/** Options of {@link cifarResNet}. */
export interface CifarResNetOptions extends ZooModelOptions {
  /** Total depth 6n+2 (20, 32, 44, 56 …). Default 20. */
  depth?: number;
  /** Filters of the first stage (doubled at each of the next two). Default 16. */
  width?: number;
}

/** Defaults of {@link cifarResNet}; the keys are its accepted options. */
export const CIFAR_RESNET_DEFAULTS: Readonly<Required<CifarResNetOptions>> = Object.freeze<
  Required<CifarResNetOptions>
>({
  inputShape: [32, 32, 3],
  numClasses: 10,
  seed: 0,
  depth: 20,
  width: 16,
});

/**
 * The CIFAR ResNet of He et al. 2016 (ResNet-20 by default): a 3×3 stem, three
 * stages of basic blocks at widths w, 2w, 4w (stride 2 between stages), global
 * average pooling and a logits layer. Block outputs are named
 * `stage{s}_block{b}_out`, the stem `stem_out`, the pooled features `gap`.
 *
 * Input `[batch, 32, 32, 3]`, output logits `[batch, numClasses]`.
 */
export function cifarResNet(options: CifarResNetOptions = {}): tfl.LayersModel {
  const { inputShape, numClasses, seed, depth, width } = resolveOptions(
    'model "cifar-resnet"',
    CIFAR_RESNET_DEFAULTS,
    options,
  );
  if ((depth - 2) % 6 !== 0 || depth < 8) {
    throw new InvalidOptionError(
      `cifarResNet depth must be 6n+2 with n ≥ 1 (8, 14, 20, 32 …), got ${depth}`,
    );
  }
  const blocksPerStage = (depth - 2) / 6;
  const ctx = blockContext(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = convBn(input, ctx, 'stem', width, 3, 1);
  x = tfl.layers
    .activation({ name: 'stem_out', activation: 'relu' })
    .apply(x) as tfl.SymbolicTensor;
  const logits = residualStagesAndHead(x, ctx, {
    blocksPerStage: Array(3).fill(blocksPerStage),
    width,
    numClasses,
  });
  return tfl.model({ inputs: input, outputs: logits, name: `cifar_resnet${depth}` });
}
