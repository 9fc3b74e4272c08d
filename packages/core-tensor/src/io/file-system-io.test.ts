import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { fmnistCnn } from '../zoo/fmnist-cnn';
import { ModelFileError, registerFileSystemRouters } from './file-system-io';

const dir = mkdtempSync(join(tmpdir(), 'trustgrad-io-'));
beforeAll(async () => {
  registerFileSystemRouters();
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file:// save and load without tfjs-node', () => {
  it('model.save / tfl.loadLayersModel round-trips weights and outputs exactly', async () => {
    const model = fmnistCnn({ seed: 11 });
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 1);
    const before = model.predict(x) as tf.Tensor;
    await model.save(`file://${join(dir, 'cnn')}`);
    const loaded = await tfl.loadLayersModel(`file://${join(dir, 'cnn')}`);
    const after = loaded.predict(x) as tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('a missing folder and a corrupt model.json give a ModelFileError saying what to do', async () => {
    await expect(tfl.loadLayersModel(`file://${join(dir, 'nope')}`)).rejects.toThrow(
      ModelFileError,
    );
    const broken = join(dir, 'broken');
    await fmnistCnn().save(`file://${broken}`);
    writeFileSync(join(broken, 'model.json'), '{ not json');
    await expect(tfl.loadLayersModel(`file://${broken}`)).rejects.toThrow(
      /not valid JSON.*save the model again/,
    );
  });
});
