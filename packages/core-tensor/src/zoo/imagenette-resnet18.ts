import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../errors/trustgrad-error';
import { resolveOptions } from '../options/resolve-options';
import type { PaperBlockPlacement, ZooModelOptions } from './model-options';
import { blockContext, convBn, residualStagesAndHead } from './residual-block';

/** Options of {@link imagenetteResNet18}. */
export interface ImagenetteResNet18Options extends ZooModelOptions {
  /** Filters of the first stage (×2 per stage, four stages). Default 64. */
  width?: number;
}

/** Defaults of {@link imagenetteResNet18}; the keys are its accepted options. */
export const IMAGENETTE_RESNET18_DEFAULTS: Readonly<Required<ImagenetteResNet18Options>> =
  Object.freeze<Required<ImagenetteResNet18Options>>({
    inputShape: [128, 128, 3],
    numClasses: 10,
    seed: 0,
    width: 64,
  });

/**
 * The FMS authors' place for the smoothing block in ResNet-18: after the first
 * residual group (`stage1_block2_out`, their `layer1` with `--layer 1`;
 * 56×56×64 at 224 px). Their model re-initialises every conv, the block's 1×1
 * included, with `kaiming_normal_(mode='fan_out')`.
 */
export const IMAGENETTE_RESNET18_PAPER_BLOCK: PaperBlockPlacement = {
  after: 'stage1_block2_out',
  init: 'he-normal-fan-out',
};

/**
 * A ResNet-18 for ImageNette-sized inputs (64–256 px; the FMS authors train at
 * 224, `inputShape: [224, 224, 3]`): a 7×7 stride-2 stem with
 * 3×3 stride-2 max-pooling, four stages of two basic blocks at widths
 * w, 2w, 4w, 8w, global average pooling and a logits layer. Names as in
 * {@link cifarResNet} (`stem_out`, `stem_pool`, `stage{s}_block{b}_out`, `gap`).
 *
 * 11 181 642 trainable parameters at width 64 with 10 classes (torchvision's
 * resnet18 with a 10-way head, as the authors'); the count does not depend on
 * the input size. The architecture is the authors' (`resnet18_features`: their
 * `AvgPool2d(7)` at 224 px is this global average pooling); its details are
 * this zoo's, not theirs: He-normal (truncated, fan-in) conv init where they use
 * `kaiming_normal_(mode='fan_out')`, tfjs batch-norm defaults (momentum 0.99,
 * ε 1e-3; PyTorch: 0.9, 1e-5), Glorot logits, and tfjs 'same' padding, which on
 * stride-2 layers pads one pixel less before than after (PyTorch pads equally).
 * {@link wideResNet} follows the authors in all of these.
 *
 * Input `[batch, h, w, 3]` with 64 ≤ h, w ≤ 256 (default 128), output logits.
 */
export function imagenetteResNet18(options: ImagenetteResNet18Options = {}): tfl.LayersModel {
  const { inputShape, numClasses, seed, width } = resolveOptions(
    'model "imagenette-resnet18"',
    IMAGENETTE_RESNET18_DEFAULTS,
    options,
  );
  const [h, w] = inputShape;
  if (h < 64 || w < 64 || h > 256 || w > 256) {
    throw new InvalidOptionError(
      `imagenetteResNet18 is built for 64–256 px inputs, got ${h}×${w}; resize the images or use cifarResNet for small ones`,
    );
  }
  const ctx = blockContext(seed);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = convBn(input, ctx, 'stem', width, 7, 2);
  x = tfl.layers
    .activation({ name: 'stem_out', activation: 'relu' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'same' })
    .apply(x) as tfl.SymbolicTensor;
  const logits = residualStagesAndHead(x, ctx, { blocksPerStage: [2, 2, 2, 2], width, numClasses });
  return tfl.model({ inputs: input, outputs: logits, name: 'imagenette_resnet18' });
}
