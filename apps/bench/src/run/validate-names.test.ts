import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config';
import { validateRegisteredNames } from './validate-names';

describe('validateRegisteredNames', () => {
  it('says a layer attribution cannot be a bench explainer, and how to call it', () => {
    const config = loadConfig({ preset: 'smoke', set: ['explainers=["layer-ig"]'] });
    expect(() => validateRegisteredNames(config)).toThrow(
      /"layer-ig" is a layer attribution.*explainLayer\(\)/,
    );
  });

  it('lists the known explainers for a name no registry holds', () => {
    const config = loadConfig({ preset: 'smoke', set: ['explainers=["no-such-map"]'] });
    expect(() => validateRegisteredNames(config)).toThrow(
      /unknown attribution method "no-such-map".*occlusion/,
    );
  });
});
