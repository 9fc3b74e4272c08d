// Training in the page from the installed tarballs: datasets' browser entry parses a small IDX
// images/labels pair (raw bytes, as fetch would give them), then adversarial-trainer's browser
// entry takes two PGD-AT train() steps on the FMNIST CNN, and rejects checkpoint (no disk there).
import * as tf from '@tensorflow/tfjs-core';
import { inMemoryBatchSource, train } from '@trustgrad/adversarial-trainer';
import { fmnistCnn, InvalidOptionError } from '@trustgrad/core-tensor';
import { disposeBatch, parseFashionMnistSplit } from '@trustgrad/datasets';

/** An IDX file of unsigned bytes: magic 0x0000 08 <rank>, big-endian dims, then the data. */
function idxFile(dims, data) {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = 0x08;
  bytes[3] = dims.length;
  dims.forEach((size, k) => view.setUint32(4 + 4 * k, size, false));
  bytes.set(data, 4 + 4 * dims.length);
  return bytes;
}

export async function trainInPage() {
  const before = tf.memory().numTensors;
  const pixels = new Uint8Array(4 * 784).map((_, i) => (7 * Math.floor(i / 784) + 3 * i) % 256);
  const split = await parseFashionMnistSplit({
    name: 'page',
    images: idxFile([4, 28, 28], pixels).buffer,
    labels: idxFile([4], Uint8Array.of(9, 0, 3, 7)).buffer,
  });
  const batch = await split.take(4);
  const model = fmnistCnn({ seed: 11, filters: [4, 8], hiddenUnits: 16 });
  const initial = model.getWeights().map((w) => w.dataSync().slice());
  const losses = [];
  const source = () => inMemoryBatchSource({ x: batch.x, y: batch.y, batchSize: 2 });
  const result = await train(model, source(), {
    epochs: 1,
    seed: 3,
    objective: 'pgd-at',
    attackOptions: { eps: 0.1, steps: 2 },
    optimizer: { name: 'sgd' },
    learningRate: 0.05,
    progress: 'off',
    onStepEnd: (step) => {
      losses.push(step.loss);
    },
  });
  let maxWeightChange = 0;
  model.getWeights().forEach((w, k) =>
    w.dataSync().forEach((v, i) => {
      maxWeightChange = Math.max(maxWeightChange, Math.abs(v - initial[k][i]));
    }),
  );
  const rejection = await train(model, source(), {
    epochs: 1,
    checkpoint: { dir: 'runs/page' },
    progress: 'off',
  }).then(
    () => null,
    (error) => ({ invalidOption: error instanceof InvalidOptionError, message: error.message }),
  );
  disposeBatch(batch);
  model.dispose();
  return {
    labels: Array.from(split.labels),
    steps: result.steps,
    losses,
    maxWeightChange,
    rejection,
    numTensorsLeaked: tf.memory().numTensors - before,
  };
}
