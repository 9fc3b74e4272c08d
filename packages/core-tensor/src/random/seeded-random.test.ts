import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('the same seed gives the same sequence, another seed another one', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 20 }, () => a.uniform());
    expect(Array.from({ length: 20 }, () => b.uniform())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.uniform())).not.toEqual(seqA);
  });

  it('uniform samples lie in [0,1) with mean ~1/2; normal samples have mean ~0 and std ~1', () => {
    const rng = new SeededRandom(7);
    const u = rng.uniformArray(20000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 2);
    const n = rng.normalArray(20000);
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const std = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
  });

  it('getState/setState resumes the exact sequence (for checkpoints)', () => {
    const rng = new SeededRandom(1);
    rng.normal(); // leaves a spare normal in the state
    const state = rng.getState();
    const expected = [rng.normal(), rng.uniform(), rng.normal()];
    const resumed = SeededRandom.fromState(state);
    expect([resumed.normal(), resumed.uniform(), resumed.normal()]).toEqual(expected);
  });

  it('permutation is a permutation, and seeded', () => {
    const p = new SeededRandom(5).permutation(100);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(new SeededRandom(5).permutation(100))).toEqual(Array.from(p));
  });

  it('tensors from the same seed are identical on cpu and wasm', async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const onCpu = new SeededRandom(9).normalTensor([3, 4]);
    const cpuValues = Array.from(onCpu.dataSync());
    onCpu.dispose();
    await initBackend({ backend: 'wasm', log: () => {} });
    const onWasm = new SeededRandom(9).normalTensor([3, 4]);
    expect(Array.from(onWasm.dataSync())).toEqual(cpuValues);
    expect(tf.getBackend()).toBe('wasm');
    onWasm.dispose();
  });

  it('rejects a non-finite seed', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(/finite/);
  });
});
