import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** The method names tfjs-core's own chained-op files put on `Tensor.prototype`. */
function tfjsChainedMethodNames(): string[] {
  const core = dirname(
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json'),
  );
  const dir = join(core, 'dist/public/chained_ops');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) =>
      Array.from(
        readFileSync(join(dir, file), 'utf8').matchAll(/prototype\.(\w+) =\s*function/g),
        (m) => m[1],
      ),
    );
}

// biome-ignore lint/suspicious/noExplicitAny: calling the chained methods by name
type Chained = Record<string, (...args: any[]) => tf.Tensor | tf.Tensor[]>;

describe('chained tensor methods', () => {
  it('defines every method tfjs-core chains (137 in 4.22)', () => {
    const names = tfjsChainedMethodNames();
    expect(names.length).toBe(137);
    const proto = tf.Tensor.prototype as unknown as Chained;
    expect(names.filter((name) => typeof proto[name] !== 'function')).toEqual([]);
  });

  it('forwards the tensor and the arguments to the op of the same name, and the special ones as tfjs does', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, -2, 3],
        [-4, 5, -6],
      ]);
      const y = tf.tensor2d([
        [2, 2, 2],
        [3, 3, 3],
      ]);
      const c = x as unknown as Chained;
      const same = (a: tf.Tensor, b: tf.Tensor) => {
        expect(a.shape).toEqual(b.shape);
        expect(a.dtype).toBe(b.dtype);
        expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      };
      same(c.add(y) as tf.Tensor, tf.add(x, y));
      same(c.abs() as tf.Tensor, tf.abs(x));
      same(c.sum(1, true) as tf.Tensor, tf.sum(x, 1, true));
      same(c.clipByValue(-1, 1) as tf.Tensor, tf.clipByValue(x, -1, 1));
      same(c.slice([0, 1], [2, 2]) as tf.Tensor, tf.slice(x, [0, 1], [2, 2]));
      same(c.matMul(y, false, true) as tf.Tensor, tf.matMul(x, y, false, true));
      same(c.as1D() as tf.Tensor, tf.reshape(x, [6]));
      same(c.reshapeAs(tf.zeros([3, 2])) as tf.Tensor, tf.reshape(x, [3, 2]));
      same(c.toInt() as tf.Tensor, tf.cast(x, 'int32'));
      same(c.concat(y, 0) as tf.Tensor, tf.concat([x, y], 0));
      same(c.concat([y, y], 1) as tf.Tensor, tf.concat([x, y, y], 1));
      same(c.stack(y) as tf.Tensor, tf.stack([x, y]));
      const condition = tf.greater(x, 0);
      same(c.where(condition, y) as tf.Tensor, tf.where(condition, x, y));
      expect(() => (tf.tensor1d([1, 2]) as unknown as Chained).asScalar()).toThrow(
        /only 1 element/,
      );
    });
  });

  it('refuses a disposed tensor, as tfjs does', () => {
    const x = tf.tensor1d([1, 2]);
    x.dispose();
    expect(() => (x as unknown as Chained).square()).toThrow(/disposed/);
    expect(() => (x as unknown as Chained).as1D()).toThrow(/disposed/);
  });
});
