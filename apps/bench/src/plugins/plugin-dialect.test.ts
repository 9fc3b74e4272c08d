// Walks every plugin registry and checks that all kinds speak one dialect:
// kind-style keys, a one-line description, frozen defaults, lookup by name,
// one registry per process, and misspelt options rejected in every kind.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  attackRegistry,
  objectiveRegistry,
  regulariserRegistry,
  resolveObjectiveOptions,
} from '@trustgrad/adversarial-trainer';
import { attributionRegistry, explain, layerAttributionRegistry } from '@trustgrad/attribution';
import {
  fmnistCnn,
  InvalidOptionError,
  initBackend,
  type KeyStyle,
  modelRegistry,
  type Registry,
} from '@trustgrad/core-tensor';
import { datasetRegistry, loadDataset } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import { insertSmoothing } from '@trustgrad/smoothing-layer';
import { beforeAll, describe, expect, it } from 'vitest';

interface Plugin {
  name: string;
  description: string;
  defaults?: object;
}

const KINDS: [kind: string, registry: Registry<Plugin>, style: KeyStyle][] = [
  ['attribution', attributionRegistry as unknown as Registry<Plugin>, 'kebab-case'],
  ['layer-attribution', layerAttributionRegistry as unknown as Registry<Plugin>, 'kebab-case'],
  ['metric', metricRegistry as unknown as Registry<Plugin>, 'camelCase'],
  ['attack', attackRegistry as unknown as Registry<Plugin>, 'kebab-case'],
  ['objective', objectiveRegistry as unknown as Registry<Plugin>, 'kebab-case'],
  ['regulariser', regulariserRegistry as unknown as Registry<Plugin>, 'kebab-case'],
  ['dataset', datasetRegistry as unknown as Registry<Plugin>, 'kebab-case'],
  ['model', modelRegistry as unknown as Registry<Plugin>, 'kebab-case'],
];
const STYLE: Record<KeyStyle, RegExp> = {
  camelCase: /^[a-z][a-zA-Z0-9]*$/,
  'kebab-case': /^[a-z0-9]+(-[a-z0-9]+)*$/,
};

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('one plugin dialect', () => {
  it.each(KINDS)(
    'every %s is named in its key style, described, frozen and found by name',
    (kind, registry, style) => {
      expect(registry.options.keyStyle).toBe(style);
      expect(
        (globalThis as unknown as Record<symbol, unknown>)[
          Symbol.for(`trustgrad.registry.${kind}`)
        ],
      ).toBe(registry);
      const entries = registry.list();
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        expect(entry.name, `${kind} ${entry.name}`).toMatch(STYLE[style]);
        expect(typeof entry.description, `${kind} ${entry.name}`).toBe('string');
        expect(entry.description.length, `${kind} ${entry.name}`).toBeGreaterThan(0);
        expect(entry.description, `${kind} ${entry.name}: one line`).not.toMatch(/\n/);
        expect(Object.isFrozen(entry), `${kind} ${entry.name} is frozen`).toBe(true);
        expect(typeof entry.defaults, `${kind} ${entry.name} has defaults`).toBe('object');
        expect(Object.isFrozen(entry.defaults), `${kind} ${entry.name} defaults frozen`).toBe(true);
        expect(registry.get(entry.name)).toBe(entry);
      }
    },
  );

  it('uses the results-contract names as keys', () => {
    expect(attributionRegistry.names()).toEqual(
      expect.arrayContaining(['vg', 'ig', 'smoothgrad', 'gradcam', 'lse']),
    );
    expect(metricRegistry.names()).toEqual(
      expect.arrayContaining([
        'cleanAcc',
        'robustAcc',
        'ris',
        'relevanceMass',
        'hessianEigenvalue',
      ]),
    );
    expect(objectiveRegistry.names()).toEqual(expect.arrayContaining(['standard', 'pgd-at']));
    expect(attackRegistry.names()).toEqual(expect.arrayContaining(['pgd-linf']));
    expect(datasetRegistry.names()).toEqual(expect.arrayContaining(['fashion-mnist']));
    expect(modelRegistry.names()).toEqual(expect.arrayContaining(['fmnist-cnn']));
  });

  it('rejects a misspelt option in every kind, naming the owner and the close option', async () => {
    const model = fmnistCnn({ filters: [2, 2], hiddenUnits: 4 });
    const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    const y = tf.tensor1d([0, 1], 'int32');
    const typo = /has no option "\w+" \(did you mean "\w+"\?\)/;
    expect(() => explain('ig', model, x, { stpes: 4 } as never)).toThrow(typo);
    await expect(
      metricRegistry.get('gini').evaluate({ explanations: x }, { bogus: 1 } as never),
    ).rejects.toThrow(InvalidOptionError);
    expect(() =>
      attackRegistry.get('fgsm').run(model, x, y, { eps: 0.1, step: 1 } as never),
    ).toThrow(typo);
    expect(() => resolveObjectiveOptions(objectiveRegistry.get('trades'), { betta: 6 })).toThrow(
      typo,
    );
    expect(() =>
      attackRegistry.get('prox-regularised').run(model, x, y, {
        eps: 0.1,
        regulariser: regulariserRegistry.get('elastic-net'),
        l1ratio: 0.5,
      } as never),
    ).toThrow(typo);
    await expect(loadDataset('synthetic', { limt: 10 })).rejects.toThrow(typo);
    expect(() => modelRegistry.get('fmnist-cnn').build({ hiddenUnit: 4 } as never)).toThrow(typo);
    expect(() =>
      insertSmoothing(model as tfl.LayersModel, { after: 'conv1', sigm: 1 } as never),
    ).toThrow(typo);
    tf.dispose([x, y]);
    model.dispose();
  });
});
