import * as tfl from '@tensorflow/tfjs-layers';
import { FusedBatchNormalization } from '../layers/fused-batch-normalization';
import { LazyGradientConv2D } from '../layers/lazy-gradient-conv2d';
import { layerSeed } from './model-options';

/** Where a residual block's layers get their names and seeds from. */
export interface BlockContext {
  seed: number;
  nextLayerIndex: () => number;
}

/** conv → batch-norm, named `<name>_conv` / `<name>_bn`, no bias (the BN has one); the conv's input gradient only when asked for ({@link LazyGradientConv2D}). */
export function convBn(
  x: tfl.SymbolicTensor,
  ctx: BlockContext,
  name: string,
  filters: number,
  kernelSize: number,
  strides: number,
): tfl.SymbolicTensor {
  const conv = new LazyGradientConv2D({
    name: `${name}_conv`,
    filters,
    kernelSize,
    strides,
    padding: 'same',
    useBias: false,
    kernelInitializer: tfl.initializers.heNormal({
      seed: layerSeed(ctx.seed, ctx.nextLayerIndex()),
    }),
  });
  const bn = new FusedBatchNormalization({ name: `${name}_bn`, axis: -1 });
  return bn.apply(conv.apply(x)) as tfl.SymbolicTensor;
}

/**
 * The basic residual block of He et al. 2016: two 3×3 conv-BN, ReLU between,
 * a 1×1 conv-BN projection on the shortcut when the shape changes, ReLU after
 * the sum. The block's output layer is named `<name>_out`.
 */
export function basicBlock(
  x: tfl.SymbolicTensor,
  ctx: BlockContext,
  name: string,
  filters: number,
  strides: number,
): tfl.SymbolicTensor {
  const inChannels = x.shape[x.shape.length - 1];
  let y = convBn(x, ctx, `${name}_a`, filters, 3, strides);
  y = tfl.layers
    .activation({ name: `${name}_a_relu`, activation: 'relu' })
    .apply(y) as tfl.SymbolicTensor;
  y = convBn(y, ctx, `${name}_b`, filters, 3, 1);
  const shortcut =
    strides !== 1 || inChannels !== filters
      ? convBn(x, ctx, `${name}_proj`, filters, 1, strides)
      : x;
  const sum = tfl.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tfl.SymbolicTensor;
  return tfl.layers
    .activation({ name: `${name}_out`, activation: 'relu' })
    .apply(sum) as tfl.SymbolicTensor;
}

/** A counter of layer indices for seeds. */
export function blockContext(seed: number): BlockContext {
  let index = 0;
  return { seed, nextLayerIndex: () => ++index };
}

/**
 * The body and head every zoo ResNet shares: `blocksPerStage.length` stages of
 * basic blocks at widths w, 2w, 4w … (stride 2 at the start of every stage but
 * the first), global average pooling (`gap`) and a `logits` dense layer.
 */
export function residualStagesAndHead(
  x: tfl.SymbolicTensor,
  ctx: BlockContext,
  options: { blocksPerStage: number[]; width: number; numClasses: number },
): tfl.SymbolicTensor {
  let y = x;
  options.blocksPerStage.forEach((blocks, stage) => {
    for (let block = 0; block < blocks; block++) {
      const strides = stage > 0 && block === 0 ? 2 : 1;
      y = basicBlock(
        y,
        ctx,
        `stage${stage + 1}_block${block + 1}`,
        options.width * 2 ** stage,
        strides,
      );
    }
  });
  y = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tfl.SymbolicTensor;
  return tfl.layers
    .dense({
      name: 'logits',
      units: options.numClasses,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(ctx.seed, 999) }),
    })
    .apply(y) as tfl.SymbolicTensor;
}
