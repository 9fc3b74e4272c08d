import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '../errors/trustgrad-error';

/** The full state of a {@link SeededRandom}, for checkpoints. */
export interface RandomState {
  readonly s: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded pseudo-random generator (xoshiro128**). Numbers are produced in
 * JavaScript, not by a backend, so the same seed gives the same numbers on
 * wasm, cpu and tfjs-node alike.
 *
 * @example
 * const rng = new SeededRandom(0);
 * rng.uniform();            // in [0, 1)
 * rng.normalTensor([2, 3]); // tf.Tensor of N(0, 1) samples
 */
export class SeededRandom {
  private s: [number, number, number, number];
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new InvalidOptionError(`seed must be a finite number, got ${seed}`);
    }
    const next = splitMix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
    this.s = [next(), next(), next(), next()];
  }

  /** Restores a generator from {@link SeededRandom.getState}. */
  static fromState(state: RandomState): SeededRandom {
    const rng = new SeededRandom(0);
    rng.setState(state);
    return rng;
  }

  /** A copy of the generator's state. */
  getState(): RandomState {
    return { s: [...this.s] as [number, number, number, number], spareNormal: this.spareNormal };
  }

  /** Sets the generator's state (as returned by `getState`). */
  setState(state: RandomState): void {
    this.s = [...state.s] as [number, number, number, number];
    this.spareNormal = state.spareNormal;
  }

  /** A new independent generator derived from this one (advances this one). */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11));
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal sample (Box–Muller, the spare kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }

  /** Float32Array of `size` samples of N(mean, std²). */
  normalArray(size: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** Float32Array of `size` samples of U[min, max). */
  uniformArray(size: number, min = 0, max = 1): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = min + (max - min) * this.uniform();
    return out;
  }

  /** A float32 tensor of N(mean, std²) samples. */
  normalTensor(shape: number[], mean = 0, std = 1): tf.Tensor {
    return tf.tensor(this.normalArray(sizeOf(shape), mean, std), shape, 'float32');
  }

  /** A float32 tensor of U[min, max) samples. */
  uniformTensor(shape: number[], min = 0, max = 1): tf.Tensor {
    return tf.tensor(this.uniformArray(sizeOf(shape), min, max), shape, 'float32');
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
