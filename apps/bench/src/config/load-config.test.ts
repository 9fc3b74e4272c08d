import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAttackRadius } from '@trustgrad/core-tensor';
import { resolveSmoothingOptions, SMOOTHING_DEFAULTS } from '@trustgrad/smoothing-layer';
import { describe, expect, it } from 'vitest';
import { validateRegisteredNames } from '../run/validate-names';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('fills every default of a preset', () => {
    const config = loadConfig({ preset: 'fmnist-quick' });
    expect(config.variants.map((v) => `${v.training}${v.smoothing ? '+fms' : ''}`)).toEqual([
      'standard',
      'standard+fms',
      'pgd-at',
      'pgd-at+fms',
    ]);
    expect(config.smoothing).toEqual({ sigma: 1, after: 'conv1', padding: 'reflect' });
    expect(config.evaluation.samples).toBeGreaterThanOrEqual(500);
  });

  it('--set overrides win over the file, which wins over the preset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'training:\n  epochs: 5\n  batchSize: 16\n');
    const config = loadConfig({
      preset: 'smoke',
      configFile: file,
      set: ['training.epochs=7', 'dataset.path=/data/x'],
    });
    expect(config.training.epochs).toBe(7);
    expect(config.training.batchSize).toBe(16);
    expect(config.dataset.path).toBe('/data/x');
  });

  it('a wrong key or value is one clear message with its path and the allowed values', () => {
    expect(() => loadConfig({ preset: 'smoke', set: ['training.optimizer=adamw'] })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ preset: 'smoke', set: ['training.optimizer=adamw'] })).toThrow(
      /training\.optimizer: .*"adam"\|"sgd"/,
    );
    expect(() => loadConfig({ preset: 'smoke', set: ['training.epoch=3'] })).toThrow(
      /training: .*"epoch"/,
    );
    // Metric names are checked against the registry once plugins are loaded.
    expect(() =>
      validateRegisteredNames(loadConfig({ preset: 'smoke', set: ['metrics=["gini","giny"]'] })),
    ).toThrow(/unknown metric "giny"; known metrics: .*avgSensitivity/);
    expect(() =>
      validateRegisteredNames(
        loadConfig({ preset: 'smoke', set: ['metricOptions={"gini":{"sigma":1}}'] }),
      ),
    ).toThrow(/metricOptions\.gini: metric "gini" has no option "sigma"/);
  });

  it('smoothing options follow the smoothing layer: its defaults and exactly its validation', () => {
    const { smoothing } = loadConfig({ preset: 'smoke' });
    expect(smoothing.sigma).toBe(SMOOTHING_DEFAULTS.sigma);
    expect(smoothing.padding).toBe(SMOOTHING_DEFAULTS.padding);
    const smoothingWith = (...set: string[]) =>
      loadConfig({ preset: 'smoke', set: set.map((s) => `smoothing.${s}`) }).smoothing;
    // σ = 0 is the layer's identity; the schema used to demand σ > 0.
    expect(smoothingWith('sigma=0').sigma).toBe(0);
    expect(smoothingWith('padding=replicate', 'kernelSize=5')).toMatchObject({
      padding: 'replicate',
      kernelSize: 5,
    });
    const layerMessage = (options: Record<string, unknown>) => {
      try {
        resolveSmoothingOptions(options);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`the layer accepts ${JSON.stringify(options)}`);
    };
    for (const [set, options] of [
      [['sigma=-1'], { sigma: -1 }],
      [['kernelSize=4'], { kernelSize: 4 }],
      [['padding=wrap'], { padding: 'wrap' }],
    ] as const) {
      expect(() => smoothingWith(...set)).toThrow(ConfigError);
      if (set[0].startsWith('padding')) {
        expect(() => smoothingWith(...set)).toThrow(
          /smoothing\.padding: .*"reflect"\|"same"\|"replicate"/,
        );
      } else {
        expect(() => smoothingWith(...set)).toThrow(layerMessage(options));
      }
    }
  });

  it("attack radii follow the attacks' one rule (checkAttackRadius: finite, ≥ 0)", () => {
    const attackWith = (set: string) => loadConfig({ preset: 'smoke', set: [set] }).attack;
    expect(attackWith('attack.eps=0').eps).toBe(0);
    expect(attackWith('attack.eval={"name":"pgd-linf","options":{"eps":0.05}}').eval).toEqual({
      name: 'pgd-linf',
      options: { eps: 0.05 },
    });
    const rule = (() => {
      try {
        checkAttackRadius(-0.1, 'eps');
      } catch (error) {
        return (error as Error).message;
      }
    })()!;
    expect(() => attackWith('attack.eps=-0.1')).toThrow(ConfigError);
    expect(() => attackWith('attack.eps=-0.1')).toThrow(`attack.eps: ${rule}`);
    expect(() => attackWith('attack.train={"name":"pgd-linf","options":{"eps":-0.1}}')).toThrow(
      /attack\.train\.options: options\.eps must be a finite number ≥ 0/,
    );
    expect(() => attackWith('attack.eval={"name":"pgd-linf","options":{"eps":"big"}}')).toThrow(
      /options\.eps must be a finite number ≥ 0 .*got "big"/,
    );
  });

  it('an unknown preset lists the known ones', () => {
    expect(() => loadConfig({ preset: 'fmnist-fast' })).toThrow(
      /known presets: smoke, fmnist-quick/,
    );
  });
});
