import { describe, expect, it, vi } from 'vitest';
import { createProgressRenderer, formatEvent } from './progress-renderer';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (t: string) => out.push(t) } };
}

describe('progress renderer', () => {
  it('formats counts, facts, file and ETA from the elapsed time', () => {
    expect(
      formatEvent({ stage: 'read', done: 5, total: 10, details: { loss: 0.5 }, file: 'a.gz' }, 10),
    ).toBe('[read] 5/10 (50%)  loss 0.5000  a.gz  ETA 0:10');
    expect(formatEvent({ stage: 'x', done: 2, total: 4 }, 0, true)).toBe(
      '[x] [##########··········] 2/4 (50%)  ETA 0:00',
    );
    expect(formatEvent({ stage: 'stream', done: 7, total: undefined }, 3)).toBe('[stream] 7');
  });

  it('in log mode prints the first, the last and at most one line per interval per stage', () => {
    const { out, stream } = sink(false);
    let t = 0;
    const p = createProgressRenderer({ stream, intervalMs: 1000, now: () => t });
    for (let done = 0; done <= 10; done++) {
      p.update({ stage: 's', done, total: 10 });
      t += 300;
    }
    // t = 0 (first), 1200 (≥ 1000 after 0), 2400, and the last (done = 10 at t = 3000).
    expect(out.length).toBe(4);
    expect(out[3]).toMatch(/^\[s\] 10\/10 \(100%\)/);
    p.log('done');
    expect(out[4]).toBe('done\n');
  });

  it('in bar mode redraws one line and ends it before a log line; off prints nothing', () => {
    const { out, stream } = sink(true);
    const p = createProgressRenderer({ stream, mode: 'bar' });
    p.update({ stage: 's', done: 1, total: 4 });
    p.log('epoch done');
    expect(out.length).toBe(3);
    expect(out[0].startsWith('\r\x1b[2K[s] [')).toBe(true);
    expect(out.slice(1)).toEqual(['\n', 'epoch done\n']);
    const quiet = sink(true);
    const off = createProgressRenderer({ stream: quiet.stream, mode: 'off' });
    off.update({ stage: 's', done: 1, total: 2 });
    off.log('x');
    expect(quiet.out).toEqual([]);
  });

  it('without a process (a browser) writes whole lines to console.log, in log mode', () => {
    const lines: unknown[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line) => {
      lines.push(line);
    });
    // Only creation reads the global; hide it just for that call.
    vi.stubGlobal('process', undefined);
    let p: ReturnType<typeof createProgressRenderer>;
    try {
      p = createProgressRenderer({ now: () => 0 });
    } finally {
      vi.unstubAllGlobals();
    }
    p.update({ stage: 's', done: 1, total: 2 });
    p.log('epoch done');
    log.mockRestore();
    expect(lines).toEqual(['[s] 1/2 (50%)  ETA 0:00', 'epoch done']);
  });
});
