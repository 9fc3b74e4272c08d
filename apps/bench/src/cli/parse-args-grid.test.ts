import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './parse-args';

describe('parseArgs: the grid flags', () => {
  it('reads --queue and the worker lock timings', () => {
    expect(
      parseArgs(['run', '--preset', 'smoke', '--queue', 'redis://h:6379', '--resume']),
    ).toMatchObject({
      command: 'run',
      preset: 'smoke',
      queue: 'redis://h:6379',
      resume: true,
    });
    expect(
      parseArgs([
        'worker',
        '--queue=redis://h:1',
        '--lock-ms',
        '4000',
        '--stalled-ms=1000',
        '--push-ms',
        '250',
      ]),
    ).toMatchObject({
      command: 'worker',
      queue: 'redis://h:1',
      lockMs: 4000,
      stalledMs: 1000,
      pushMs: 250,
    });
  });

  it('rejects a missing value and a lock time that is not a positive whole number of ms', () => {
    expect(() => parseArgs(['status', '--queue'])).toThrow(new UsageError('--queue needs a value'));
    expect(() => parseArgs(['worker', '--lock-ms', '2.5'])).toThrow(
      /positive whole number of milliseconds, got "2.5"/,
    );
    expect(() => parseArgs(['worker', '--stalled-ms', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['worker', '--push-ms', '-5'])).toThrow(UsageError);
  });
});
