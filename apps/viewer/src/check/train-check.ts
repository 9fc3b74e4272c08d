import * as tf from '@tensorflow/tfjs-core';
import { inMemoryBatchSource, train } from '@trustgrad/adversarial-trainer';
import { fmnistCnn, InvalidOptionError } from '@trustgrad/core-tensor';
import { disposeBatch, parseFashionMnistSplit } from '@trustgrad/datasets';

/** What the page and Node both compute for training, to compare number for number. */
export interface TrainCheckResult {
  /** Labels of the split parsed from the gzipped IDX bytes. */
  labels: number[];
  /** One pixel of the parsed images (image 3, pixel 400), in [0, 1]. */
  pixel: number;
  steps: number;
  /** The loss of each PGD-AT step, as `onStepEnd` reported it. */
  losses: number[];
  /** Largest |w_after − w_before| over every weight: training moved them. */
  maxWeightChange: number;
  /**
   * How train() rejected `checkpoint` (the browser has no checkpoint folders), or null. The
   * class is checked with instanceof: a minified bundle renames classes, so `error.name` is not it.
   */
  checkpointRejection: { invalidOption: boolean; message: string } | null;
  numTensorsLeaked: number;
}

const IMAGES = 4;

/** An IDX file of unsigned bytes: magic 0x0000 08 <rank>, big-endian dims, then the data. */
function idxFile(dims: number[], data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = 0x08;
  bytes[3] = dims.length;
  dims.forEach((size, k) => view.setUint32(4 + 4 * k, size, false));
  bytes.set(data, 4 + 4 * dims.length);
  return bytes;
}

/** gzip with the Compression Streams API, as a server would send the official .gz files. */
async function gzip(bytes: Uint8Array): Promise<ArrayBuffer> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/**
 * On the active backend: four 28×28 images and their labels written as
 * gzipped IDX bytes, parsed by datasets' `parseFashionMnistSplit`, then two
 * PGD-AT steps of adversarial-trainer's `train()` (ε 0.1, PGD-2, batch 2) on
 * the FMNIST CNN, and the rejection of `checkpoint` by the browser's
 * `train()`. Same code in the page and in Node.
 */
export async function trainCheck(): Promise<TrainCheckResult> {
  const before = tf.memory().numTensors;
  const pixels = new Uint8Array(IMAGES * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (7 * Math.floor(i / 784) + 3 * i) % 256;
  const split = await parseFashionMnistSplit({
    name: 'check',
    images: await gzip(idxFile([IMAGES, 28, 28], pixels)),
    labels: await gzip(idxFile([IMAGES], Uint8Array.of(9, 0, 3, 7))),
  });
  const batch = await split.take(IMAGES);
  const model = fmnistCnn({ seed: 11, filters: [4, 8], hiddenUnits: 16 });
  const initial = model.getWeights().map((w) => w.dataSync().slice());
  const losses: number[] = [];
  const source = () => inMemoryBatchSource({ x: batch.x, y: batch.y, batchSize: 2 });
  const result = await train(model, source(), {
    epochs: 1,
    seed: 3,
    objective: 'pgd-at',
    attackOptions: { eps: 0.1, steps: 2 },
    optimizer: { name: 'sgd' },
    learningRate: 0.05,
    onStepEnd: (step) => {
      losses.push(step.loss);
    },
  });
  const maxWeightChange = Math.max(
    ...model.getWeights().map((w, k) => {
      const after = w.dataSync();
      return Math.max(...after.map((v, i) => Math.abs(v - initial[k][i])));
    }),
  );
  // everySteps 0 is invalid, so Node's train() rejects it before touching a disk; the browser's
  // train() rejects checkpoint itself first.
  const checkpointRejection = await train(model, source(), {
    epochs: 1,
    checkpoint: { dir: 'runs/check', everySteps: 0 },
    progress: 'off',
  }).then(
    () => null,
    (error: Error) => ({
      invalidOption: error instanceof InvalidOptionError,
      message: error.message,
    }),
  );
  const pixel = batch.x.dataSync()[3 * 784 + 400];
  disposeBatch(batch);
  model.dispose();
  return {
    labels: Array.from(split.labels),
    pixel,
    steps: result.steps,
    losses,
    maxWeightChange,
    checkpointRejection,
    numTensorsLeaked: tf.memory().numTensors - before,
  };
}
