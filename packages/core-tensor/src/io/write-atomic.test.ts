import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTemps, tempPathFor, writeAtomic, writeDurable } from './write-atomic';

const dir = mkdtempSync(join(tmpdir(), 'trustgrad-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeAtomic', () => {
  it('replaces the file, creates missing folders and leaves no temporary behind', () => {
    const path = join(dir, 'a', 'b', 'out.json');
    writeAtomic(path, 'first');
    writeAtomic(path, Buffer.from('second'));
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.json']);
  });

  it('writeDurable writes every byte of a large buffer', () => {
    const bytes = Buffer.alloc(3 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 255;
    writeDurable(join(dir, 'big.bin'), bytes);
    expect(readFileSync(join(dir, 'big.bin')).equals(bytes)).toBe(true);
  });
});

describe('removeStaleTemps', () => {
  it('removes the temporaries of dead processes and of this one, keeps a live process\u2019s and every other file', () => {
    const folder = join(dir, 'stale');
    mkdirSync(folder);
    // A pid that has certainly exited: a child that already ended.
    const dead = spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid!;
    writeFileSync(join(folder, `results.json.tmp-${dead}`), 'half');
    mkdirSync(join(folder, `.step-000000004.tmp-${dead}`));
    writeFileSync(join(folder, `.step-000000004.tmp-${dead}`, 'state.json'), '{}');
    writeFileSync(tempPathFor(join(folder, 'mine.json')), 'x');
    writeFileSync(join(folder, `live.json.tmp-${process.ppid}`), 'in flight');
    writeFileSync(join(folder, 'results.json'), '{}');
    writeFileSync(join(folder, 'notes.tmp-abc'), 'not a temporary of ours');
    const removed = removeStaleTemps(folder).sort();
    expect(removed).toEqual(
      [
        `.step-000000004.tmp-${dead}`,
        `mine.json.tmp-${process.pid}`,
        `results.json.tmp-${dead}`,
      ].sort(),
    );
    expect(readdirSync(folder).sort()).toEqual(
      [`live.json.tmp-${process.ppid}`, 'notes.tmp-abc', 'results.json'].sort(),
    );
  });

  it('a missing folder removes nothing', () => {
    expect(removeStaleTemps(join(dir, 'nope'))).toEqual([]);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });
});
