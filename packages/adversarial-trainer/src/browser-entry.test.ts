import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { bundleForBrowser } from '@trustgrad/tooling/browser-bundle';
import { beforeAll, describe, expect, it } from 'vitest';
import * as browserEntry from './browser';
import * as nodeEntry from './index';
import { tinyMlp } from './testing/tiny-models';

/** The checkpoint folders on disk: what the browser entry leaves out. */
const NODE_ONLY = [
  'checkpointDefect',
  'clearCheckpoints',
  'latestCheckpoint',
  'loadCheckpoint',
  'saveCheckpoint',
];

// attribution loads sharp only to write PNG files in Node; the viewer's vite build leaves it out too.
const bundle = (entry: string) =>
  bundleForBrowser(new URL(entry, import.meta.url), { external: ['sharp'] });

describe('the browser entry', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('bundles for the browser platform without any node: module or the checkpoint files code', async () => {
    const result = await bundle('./browser.ts');
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /^node:|training\/checkpoint\.ts$/.test(path))).toEqual([]);
    // The one training loop is in it, with core-tensor's browser entry (not its Node entry).
    expect(inputs.some((path) => path.endsWith('src/training/train.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('core-tensor/src/browser.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('core-tensor/src/index.ts'))).toBe(false);
  }, 60_000);

  it('the Node entry does not bundle for the browser (what the browser entry leaves out)', async () => {
    await expect(bundle('./index.ts')).rejects.toThrow(/node:crypto|node:fs|node:path/);
  }, 60_000);

  it('exports the Node entry API minus exactly the checkpoint-folder functions, with its own train', () => {
    const node = Object.keys(nodeEntry).sort();
    const browser = Object.keys(browserEntry).sort();
    expect(node.filter((name) => !browser.includes(name)).sort()).toEqual([...NODE_ONLY].sort());
    expect(browser.filter((name) => !node.includes(name))).toEqual([]);
    expect(browserEntry.train).not.toBe(nodeEntry.train);
    expect(browserEntry.CheckpointError).toBe(nodeEntry.CheckpointError);
    expect(browserEntry.pgdAt).toBe(nodeEntry.pgdAt);
  });

  it('its train rejects checkpoint and resume, saying to save the model to IndexedDB or train in Node', async () => {
    const model = tinyMlp([4, 4, 1]);
    const data = () => [];
    const before = tf.memory().numTensors;
    for (const options of [{ checkpoint: { dir: 'runs/at' } }, { resume: true }]) {
      const run = browserEntry.train(model, data, { epochs: 1, progress: 'off', ...options });
      await expect(run).rejects.toThrow(InvalidOptionError);
      await expect(run).rejects.toThrow(
        /train\(\): (checkpoint|resume) needs Node: checkpoints are folders on disk.*model\.save\('indexeddb:\/\/my-model'\).*train in Node/,
      );
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('its train runs the Node entry loop: PGD-AT gives the same weights and losses, bit for bit', async () => {
    const rng = new SeededRandom(4);
    const x = rng.uniformTensor([8, 4, 4, 1]) as tf.Tensor4D;
    const y = tf.tensor1d([0, 1, 2, 3, 3, 2, 1, 0], 'int32');
    const run = async (train: typeof nodeEntry.train) => {
      const model = tinyMlp([4, 4, 1], 8, 4, 7);
      const initial = model.getWeights().map((w) => Array.from(w.dataSync()));
      const losses: number[] = [];
      const result = await train(model, nodeEntry.inMemoryBatchSource({ x, y, batchSize: 4 }), {
        epochs: 1,
        seed: 2,
        objective: 'pgd-at',
        attackOptions: { eps: 0.1, steps: 2 },
        progress: 'off',
        onStepEnd: (info) => {
          losses.push(info.loss);
        },
      });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return { steps: result.steps, losses, initial, weights };
    };
    const fromNode = await run(nodeEntry.train);
    const fromBrowser = await run(browserEntry.train);
    tf.dispose([x, y]);
    expect(fromBrowser.steps).toBe(2);
    expect(fromBrowser.losses.every(Number.isFinite)).toBe(true);
    expect(fromBrowser.weights).not.toEqual(fromBrowser.initial);
    expect(fromBrowser).toEqual(fromNode);
  });
});
