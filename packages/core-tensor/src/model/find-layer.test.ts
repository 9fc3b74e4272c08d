import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { LayerNotFoundError } from '../errors/trustgrad-error';
import { fmnistCnn } from '../zoo/fmnist-cnn';
import { allLayers, findLayer } from './find-layer';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('findLayer', () => {
  it('finds by name (nested models too) or index, and fails listing the layers', () => {
    const inner = fmnistCnn({ filters: [2, 2], hiddenUnits: 4 });
    const outer = tfl.sequential({ name: 'outer', layers: [inner] });
    expect(findLayer(inner, 'conv2').name).toBe('conv2');
    expect(findLayer(inner, 0).name).toBe('conv1');
    expect(findLayer(outer, 'fc1').name).toBe('fc1');
    expect(allLayers(outer).map((l) => l.name)).toContain('logits');
    expect(() => findLayer(inner, 'conv3')).toThrow(LayerNotFoundError);
    expect(() => findLayer(inner, 'conv3')).toThrow(
      /no layer named "conv3". Its layers: 0 conv1, 1 pool1, 2 conv2/,
    );
    expect(() => findLayer(inner, 7)).toThrow(/no layer at index 7; give an index 0..6/);
    outer.dispose();
  });
});
