import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { explain } from '@trustgrad/attribution';
import {
  createProgressRenderer,
  initBackend,
  modelRegistry,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { metricRegistry } from '@trustgrad/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { evaluationAttack } from '../src/run/attack-settings';
import { evaluateVariant } from '../src/run/evaluate-variant';

const heatmaps = mkdtempSync(join(tmpdir(), 'bench-cc-'));
const quiet = createProgressRenderer({ mode: 'off' });

describe('evaluation.correctlyClassified (the FMS authors’ filter)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('explanation metrics see only the images the model gets right; accuracy sees all', async () => {
    const model = modelRegistry.get('fmnist-cnn').build({
      inputShape: [28, 28, 1],
      numClasses: 10,
      seed: 3,
      filters: [2, 4],
      hiddenUnits: 8,
    });
    const x = new SeededRandom(5).uniformTensor([12, 28, 28, 1], 0, 1) as tf.Tensor4D;
    const predicted = await tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor2D, 1)).data();
    // Images 0, 3, 6, 9 labelled as predicted, the others one class off.
    const right = [0, 3, 6, 9];
    const y = tf.tensor1d(
      [...predicted].map((p, i) => (right.includes(i) ? p : (p + 1) % 10)),
      'int32',
    );
    const config = loadConfig({
      preset: 'smoke',
      set: [
        'explainers=["vg"]',
        'metrics=["cleanAcc","gini"]',
        'evaluation.correctlyClassified=true',
        'evaluation.heatmapSamples=1',
      ],
    });
    const before = tf.memory().numTensors;
    const data = { x, y, range: [0, 1] as const };
    const evaluate = (c: typeof config) =>
      evaluateVariant(
        c,
        model,
        data,
        evaluationAttack(config, data.range),
        { dir: heatmaps, prefix: 'cc' },
        quiet,
        'test',
      );
    const { measurements, measured } = await evaluate(config);
    expect(tf.memory().numTensors).toBe(before);
    expect(measured.vg).toEqual({ evaluated: 12, measured: 4, correctlyClassifiedOnly: true });
    expect(measurements.vg.cleanAcc.mean).toBeCloseTo(4 / 12, 12);
    // Gini equals Gini of the maps of the four kept images, computed directly.
    const kept = tf.gather(x, tf.tensor1d(right, 'int32')) as tf.Tensor4D;
    const maps = explain('vg', model, kept, {}) as tf.Tensor4D;
    const direct = await metricRegistry.get('gini').evaluate({ explanations: maps }, {});
    expect(measurements.vg.gini.values).toHaveLength(4);
    expect(measurements.vg.gini.mean).toBeCloseTo(direct.mean, 6);
    const unfiltered = await evaluate({
      ...config,
      evaluation: { ...config.evaluation, correctlyClassified: false },
    });
    expect(unfiltered.measurements.vg.gini.values).toHaveLength(12);
    tf.dispose([x, y, kept, maps]);
    model.dispose();
  });
});
