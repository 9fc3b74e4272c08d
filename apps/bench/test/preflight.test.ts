import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { PreflightError } from '../src/run/preflight';
import { runExperiment } from '../src/run/run-experiment';

const out = join(tmpdir(), `bench-preflight-${process.pid}`);
const quiet = { log: () => {}, update: () => {}, done: () => {} } as never;

/** Runs the smoke preset with `set` overrides and returns the error it fails with, and how fast. */
async function failure(set: string[]): Promise<{ error: Error; seconds: number }> {
  const config = loadConfig({ preset: 'smoke', set: ['evaluation.samples=4', ...set] });
  const started = Date.now();
  try {
    await runExperiment(config, { out, progress: quiet });
  } catch (error) {
    return { error: error as Error, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  throw new Error('the run did not fail');
}

describe('bench preflight: a config that cannot run fails before the first variant trains [slow]', () => {
  it.each([
    ['a smoothing layer the model lacks', ['smoothing.after=conv9'], /smoothing block.*conv9/],
    [
      'a misspelt explainer option',
      ['explainerOptions={"ig":{"stpes":4}}'],
      /explainer "ig".*"stpes".*did you mean "steps"/,
    ],
    [
      'a representation layer the model lacks',
      ['evaluation.representationLayer=fc9'],
      /representationLayer.*fc9/,
    ],
    [
      'a misspelt objective option of the second variant',
      ['variants=[{"training":"standard"},{"training":"trades","options":{"betta":6}}]'],
      /variants\[1\]\.options.*"betta".*did you mean "beta"/,
    ],
    [
      "a misspelt option of a variant's own attack",
      [
        'variants=[{"training":"standard"},{"training":"pgd-at","attack":{"train":{"options":{"lables":"predicted"}}}}]',
      ],
      /variants\[1\] \(AT\): attack\.train.*"lables".*did you mean "labels"/,
    ],
    [
      "an optimiser option the optimiser lacks (a variant's trainer)",
      ['variants=[{"training":"standard","trainer":{"optimizer":{"name":"sgd","nesterov":true}}}]'],
      /variants\[0\] \(ST\): training\.optimizer.*nesterov needs a momentum/,
    ],
    [
      'step milestones that do not increase',
      ['training.schedule={"name":"step","milestones":[50,40]}'],
      /training\.schedule.*milestones must increase/,
    ],
    [
      "the paper block's options",
      ['smoothing={"block":"paper","after":"conv1","filter":"gaussian","kernelSize":4}'],
      /smoothing block.*kernelSize/,
    ],
  ])('%s', async (_what, set, message) => {
    const { error, seconds } = await failure(set);
    expect(error).toBeInstanceOf(PreflightError);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/nothing was trained/);
    expect(seconds).toBeLessThan(60);
  });
});
