import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { InvalidOptionError } from '../errors/trustgrad-error';
import { modelRegistry } from '../model/define-model';
import { cifarResNet } from './cifar-resnet';
import { fmnistCnn } from './fmnist-cnn';
import { imagenetteResNet18 } from './imagenette-resnet18';
import './zoo-models';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('model zoo', () => {
  it('fmnistCnn maps [b,28,28,1] to [b,10] logits with named layers', () => {
    const model = fmnistCnn();
    const y = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    expect(model.layers.map((l) => l.name)).toEqual([
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'flatten',
      'fc1',
      'logits',
    ]);
    y.dispose();
    model.dispose();
  });

  it('the same seed gives the same weights, another seed different ones', () => {
    const a = fmnistCnn({ seed: 3 });
    const b = fmnistCnn({ seed: 3 });
    const c = fmnistCnn({ seed: 4 });
    const wa = a.getWeights()[0].dataSync();
    expect(Array.from(b.getWeights()[0].dataSync())).toEqual(Array.from(wa));
    expect(Array.from(c.getWeights()[0].dataSync())).not.toEqual(Array.from(wa));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('cifarResNet-20 has 19 conv layers + 2 projections and outputs logits', () => {
    const model = cifarResNet({ depth: 20, width: 4 });
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs.length).toBe(21);
    const y = model.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    expect(model.getLayer('stage3_block3_out')).toBeDefined();
    y.dispose();
    model.dispose();
  });

  it('cifarResNet rejects depths that are not 6n+2', () => {
    expect(() => cifarResNet({ depth: 21 })).toThrow(/6n\+2/);
  });

  it('imagenetteResNet18 outputs logits for 64 px inputs and rejects 32 px', () => {
    const model = imagenetteResNet18({ inputShape: [64, 64, 3], width: 8 });
    const y = model.predict(tf.zeros([1, 64, 64, 3])) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    y.dispose();
    model.dispose();
    expect(() => imagenetteResNet18({ inputShape: [32, 32, 3] })).toThrow(/64–256 px/);
  });
});

describe('zoo models as plugins', () => {
  it('are registered under kebab-case keys and reject misspelt options', () => {
    expect(modelRegistry.names()).toEqual(
      expect.arrayContaining(['cifar-resnet', 'fmnist-cnn', 'imagenette-resnet18']),
    );
    expect(() => fmnistCnn({ hiddenUnit: 8 } as never)).toThrow(InvalidOptionError);
    expect(() => modelRegistry.get('cifar-resnet').build({ widht: 8 })).toThrow(
      /model "cifar-resnet" has no option "widht" \(did you mean "width"\?\)/,
    );
    expect(() => imagenetteResNet18({ numClass: 3 } as never)).toThrow(/did you mean "numClasses"/);
    const model = modelRegistry.get('fmnist-cnn').build({ hiddenUnits: 8, numClasses: 3 });
    expect(model.outputs[0].shape).toEqual([null, 3]);
    model.dispose();
  });
});
