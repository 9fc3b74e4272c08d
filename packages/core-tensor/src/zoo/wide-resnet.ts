import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../errors/trustgrad-error';
import { FusedBatchNormalization } from '../layers/fused-batch-normalization';
import { LazyGradientConv2D } from '../layers/lazy-gradient-conv2d';
import { resolveOptions } from '../options/resolve-options';
import {
  layerSeed,
  type PaperBlockPlacement,
  pytorchDefaultUniform,
  type ZooModelOptions,
} from './model-options';

/** Options of {@link wideResNet}. */
export interface WideResNetOptions extends ZooModelOptions {
  /** Total depth `6n + 4` (16, 22, 28, 40 …), n blocks per group. Default 28. */
  depth?: number;
  /** Widen factor k: the groups have 16k, 32k, 64k channels. Default 10. */
  widenFactor?: number;
}

/**
 * The FMS authors' place for the smoothing block in WideResNet: after the first
 * residual group (`group1_out`, 32×32×16k: 160 channels for WRN-28-10). Their
 * model re-initialises every conv, the block's 1×1 included, with
 * `kaiming_normal_(mode='fan_out')`.
 */
/** Defaults of {@link wideResNet} (WRN-28-10); the keys are its accepted options. */
export const WIDE_RESNET_DEFAULTS: Readonly<Required<WideResNetOptions>> = Object.freeze<
  Required<WideResNetOptions>
>({ inputShape: [32, 32, 3], numClasses: 10, seed: 0, depth: 28, widenFactor: 10 });

export const WIDE_RESNET_PAPER_BLOCK: PaperBlockPlacement = {
  after: 'group1_out',
  init: 'he-normal-fan-out',
};

/** PyTorch's BatchNorm2d: running averages updated by 0.1 (tfjs momentum 0.9), ε = 1e-5. */
const TORCH_BATCH_NORM = { axis: -1, momentum: 0.9, epsilon: 1e-5 } as const;

/**
 * WideResNet-depth-k of Zagoruyko & Komodakis 2016 as the FMS authors' CIFAR-10
 * code builds it (SPEC 6; `WideResNet` in their `CIFAR-10/*.py`): a 3×3 conv to
 * 16 channels, three groups of n = (depth − 4)/6 pre-activation basic blocks at
 * 16k, 32k, 64k channels (stride 2 at the start of groups 2 and 3), BN-ReLU,
 * global average pooling and a logits layer. A block is
 * `BN-ReLU → conv3×3 → BN-ReLU → conv3×3`, summed with the input, or, where
 * the width or stride changes, with a 1×1 conv of the pre-activated input (as
 * their `BasicBlock`, which then shares the first BN-ReLU). No dropout (their
 * `dropRate = 0`). Initialisation as theirs: convs N(0, 2/fan_out) (untruncated),
 * BN γ = 1, β = 0, the linear layer's bias 0 and weight PyTorch's default
 * U(±1/√fan_in); BN momentum and ε as PyTorch. Stride-2 convs pad 1 on every
 * side first, as PyTorch's `padding=1` (tfjs 'same' would pad 0/1).
 *
 * Names: `stem_conv`, `group{g}_block{b}_{bn1,relu1,conv1,bn2,relu2,conv2,shortcut,add}`,
 * the last block of a group summing into `group{g}_out`, then `final_bn`,
 * `final_relu`, `gap`, `logits`. Trainable parameters: 36 479 194 for
 * WRN-28-10, 2 748 890 for WRN-16-4 (10 classes).
 *
 * Input `[batch, 32, 32, 3]`, output logits `[batch, numClasses]`.
 *
 * @example
 * const model = wideResNet({ depth: 16, widenFactor: 4, seed: 0 }); // WRN-16-4, laptop-sized
 * insertSmoothing(model, { ...WIDE_RESNET_PAPER_BLOCK, block: 'paper' });
 */
export function wideResNet(options: WideResNetOptions = {}): tfl.LayersModel {
  const { inputShape, numClasses, seed, depth, widenFactor } = resolveOptions(
    'model "wide-resnet"',
    WIDE_RESNET_DEFAULTS,
    options,
  );
  if (!Number.isInteger(depth) || (depth - 4) % 6 !== 0 || depth < 10) {
    throw new InvalidOptionError(
      `wideResNet depth must be 6n+4 with n ≥ 1 (10, 16, 22, 28, 40 …), got ${depth}`,
    );
  }
  if (!Number.isInteger(widenFactor) || widenFactor < 1) {
    throw new InvalidOptionError(
      `wideResNet widenFactor must be an integer ≥ 1 (the paper uses 10), got ${widenFactor}`,
    );
  }
  const blocksPerGroup = (depth - 4) / 6;
  const widths = [16, 16 * widenFactor, 32 * widenFactor, 64 * widenFactor];
  let layerIndex = 0;
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
    layer.apply(x) as tfl.SymbolicTensor;
  const conv = (
    x: tfl.SymbolicTensor,
    name: string,
    filters: number,
    kernelSize: number,
    strides: number,
  ): tfl.SymbolicTensor => {
    const padded =
      strides > 1 && kernelSize > 1
        ? apply(tfl.layers.zeroPadding2d({ name: `${name}_pad`, padding: (kernelSize - 1) / 2 }), x)
        : x;
    const layer = new LazyGradientConv2D({
      name,
      filters,
      kernelSize,
      strides,
      padding: strides > 1 ? 'valid' : 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.randomNormal({
        mean: 0,
        stddev: Math.sqrt(2 / (kernelSize * kernelSize * filters)),
        seed: layerSeed(seed, ++layerIndex),
      }),
    });
    return apply(layer, padded);
  };
  const bnRelu = (x: tfl.SymbolicTensor, bn: string, relu: string) =>
    apply(
      tfl.layers.activation({ name: relu, activation: 'relu' }),
      apply(new FusedBatchNormalization({ name: bn, ...TORCH_BATCH_NORM }), x),
    );

  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = conv(input, 'stem_conv', widths[0], 3, 1);
  for (let g = 1; g <= 3; g++) {
    for (let b = 1; b <= blocksPerGroup; b++) {
      const name = `group${g}_block${b}`;
      const inChannels = x.shape[3] as number;
      const outChannels = widths[g];
      const strides = b === 1 && g > 1 ? 2 : 1;
      const equalInOut = inChannels === outChannels && strides === 1;
      const activated = bnRelu(x, `${name}_bn1`, `${name}_relu1`);
      let y = conv(activated, `${name}_conv1`, outChannels, 3, strides);
      y = bnRelu(y, `${name}_bn2`, `${name}_relu2`);
      y = conv(y, `${name}_conv2`, outChannels, 3, 1);
      const shortcut = equalInOut
        ? x
        : conv(activated, `${name}_shortcut`, outChannels, 1, strides);
      const sumName = b === blocksPerGroup ? `group${g}_out` : `${name}_add`;
      x = apply(tfl.layers.add({ name: sumName }), [y, shortcut]);
    }
  }
  x = bnRelu(x, 'final_bn', 'final_relu');
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'gap' }), x);
  const logits = apply(
    tfl.layers.dense({
      name: 'logits',
      units: numClasses,
      kernelInitializer: tfl.initializers.randomUniform(
        pytorchDefaultUniform(widths[3], layerSeed(seed, 999)),
      ),
      biasInitializer: 'zeros',
    }),
    x,
  );
  return tfl.model({ inputs: input, outputs: logits, name: `wide_resnet_${depth}_${widenFactor}` });
}
