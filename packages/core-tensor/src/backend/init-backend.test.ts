import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, InvalidOptionError } from '../errors/trustgrad-error';
import { initBackend } from './init-backend';

const saved = process.env.TRUSTGRAD_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.TRUSTGRAD_BACKEND;
  else process.env.TRUSTGRAD_BACKEND = saved;
});

describe('initBackend', () => {
  it('picks the best installed backend and says why it skipped the better ones', async () => {
    delete process.env.TRUSTGRAD_BACKEND;
    const lines: string[] = [];
    const choice = await initBackend({ log: (l) => lines.push(l) });
    // tfjs-node cannot install on this project's machines, so the embedded wasm backend wins.
    expect(['tensorflow-gpu', 'tensorflow', 'wasm']).toContain(choice.name);
    expect(tf.getBackend()).toBe(choice.tfjsBackend);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`backend: ${choice.name}`);
    if (choice.name === 'wasm') {
      expect(choice.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
      expect(lines[0]).toMatch(/tfjs-node(-gpu)? is not installed/);
    }
  });

  it('TRUSTGRAD_BACKEND forces a backend', async () => {
    process.env.TRUSTGRAD_BACKEND = 'cpu';
    const choice = await initBackend({ log: () => {} });
    expect(choice).toMatchObject({ name: 'cpu', forced: true });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('a forced backend that is not installed fails clearly with the install command', async () => {
    const attempt = initBackend({ backend: 'tensorflow', log: () => {} });
    await expect(attempt).rejects.toThrow(BackendUnavailableError);
    await expect(initBackend({ backend: 'tensorflow', log: () => {} })).rejects.toThrow(
      /pnpm add @tensorflow\/tfjs-node/,
    );
  });

  it('an unknown TRUSTGRAD_BACKEND lists the valid names', async () => {
    process.env.TRUSTGRAD_BACKEND = 'webgl';
    await expect(initBackend({ log: () => {} })).rejects.toThrow(InvalidOptionError);
    await expect(initBackend({ log: () => {} })).rejects.toThrow(
      /tensorflow-gpu, tensorflow, wasm, cpu/,
    );
  });
});
