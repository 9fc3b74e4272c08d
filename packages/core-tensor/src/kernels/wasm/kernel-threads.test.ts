import { describe, expect, it } from 'vitest';
import { type ClaimedSplit, type KernelThreads, splitOverImages } from './kernel-threads';

/**
 * A stand-in pool whose one other thread starts late: it claims chunks only
 * when joined, after the calling thread has claimed all of them.
 */
function latePool(ran: Array<{ part: number; n0: number; n1: number }>): KernelThreads {
  let next = 0;
  return {
    size: 1,
    claim: () => next++,
    start(_name, args, claimed?: ClaimedSplit) {
      if (claimed) next = 0;
      return () => {
        if (!claimed) return;
        for (const values of args) {
          for (let k = next++; k * claimed.chunk < claimed.batch; k = next++) {
            ran.push({
              part: values[2],
              n0: k * claimed.chunk,
              n1: Math.min(claimed.batch, (k + 1) * claimed.chunk),
            });
          }
        }
      };
    },
  };
}

describe('splitOverImages with claimed chunks', () => {
  it('runs every image exactly once, whichever thread claims it', () => {
    const ran: Array<{ part: number; n0: number; n1: number }> = [];
    const pool = latePool(ran);
    const parts = splitOverImages(
      pool,
      (n0, n1, part) => ran.push({ part, n0, n1 }),
      'kernel',
      100,
      Number.MAX_SAFE_INTEGER,
      (n0, n1, part) => [n0, n1, part],
      { n0Index: 0, n1Index: 1 },
    );
    expect(parts).toBe(2);
    const covered = new Array(100).fill(0);
    for (const { n0, n1 } of ran) for (let n = n0; n < n1; n++) covered[n]++;
    expect(covered.every((count) => count === 1)).toBe(true);
    // The late thread found nothing left: the calling thread (part 0) claimed every chunk.
    expect(ran.every(({ part }) => part === 0)).toBe(true);
    expect(ran.length).toBe(Math.ceil(100 / Math.ceil(100 / 32)));
  });

  it('keeps fixed ranges without claimed argument positions', () => {
    const ran: Array<{ part: number; n0: number; n1: number }> = [];
    const started: number[][] = [];
    const pool: KernelThreads = {
      size: 1,
      claim: () => {
        throw new Error('a fixed split must not claim');
      },
      start(_name, args) {
        started.push(...args.map((values) => [...values]));
        return () => {};
      },
    };
    splitOverImages(
      pool,
      (n0, n1, part) => ran.push({ part, n0, n1 }),
      'kernel',
      10,
      Number.MAX_SAFE_INTEGER,
      (n0, n1, part) => [n0, n1, part],
    );
    expect(ran).toEqual([{ part: 0, n0: 0, n1: 5 }]);
    expect(started).toEqual([[5, 10, 1]]);
  });
});
