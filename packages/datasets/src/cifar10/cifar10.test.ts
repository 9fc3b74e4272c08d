import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetFormatError, DatasetNotFoundError } from '../errors/dataset-errors';
import { loadDataset } from '../plugin/load-dataset';
import { disposeBatch } from '../split/data-split';
import '../index';
import { CIFAR_NAMES, cifarPixel, tarGz, tempDir, writeCifarFolder } from '../testing/fixtures';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const PER_BATCH = 4;

/** Checks record k of the train split against the fixture formula (channel-major on disk → NHWC). */
async function expectNhwc(data: Awaited<ReturnType<typeof loadDataset>>) {
  expect(data.imageShape).toEqual([32, 32, 3]);
  expect(data.classNames).toEqual(CIFAR_NAMES);
  expect(data.train.length).toBe(5 * PER_BATCH);
  expect(data.test.length).toBe(PER_BATCH);
  // Train record 6 is batch 2 (b = 1), k = 2: label (1 + 2) % 10, global index 6.
  expect(data.train.labels[6]).toBe(3);
  const batch = await data.train.gather([6]);
  const x = batch.x.dataSync();
  for (const [y, xx, c] of [
    [0, 0, 0],
    [0, 1, 2],
    [5, 7, 1],
    [31, 31, 2],
  ]) {
    const p = y * 32 + xx;
    expect(x[p * 3 + c]).toBeCloseTo(cifarPixel(3, 6, c, p) / 255, 6);
  }
  expect(batch.y.dataSync()[0]).toBe(3);
  disposeBatch(batch);
  const test = await data.test.take(1);
  expect(test.x.dataSync()[1 * 3 + 0]).toBeCloseTo(cifarPixel(5, 20, 0, 1) / 255, 6);
  disposeBatch(test);
}

describe('cifar10, official binary version', () => {
  it('reads the cifar-10-batches-bin folder (or its parent) into NHWC floats', async () => {
    const root = tempDir('cifar');
    const folder = writeCifarFolder(root, PER_BATCH);
    await expectNhwc(await loadDataset('cifar10', { path: folder }));
    await expectNhwc(await loadDataset('cifar10', { path: root }));
  });

  it('reads the .tar.gz archive directly, reporting progress', async () => {
    const root = tempDir('cifar-tar');
    writeCifarFolder(root, PER_BATCH);
    const archive = tarGz(root, 'cifar-10-batches-bin', join(root, 'cifar-10-binary.tar.gz'));
    rmSync(join(root, 'cifar-10-batches-bin'), { recursive: true });
    const stages: number[] = [];
    const data = await loadDataset('cifar10', {
      path: archive,
      onProgress: (p) => stages.push(p.done),
    });
    await expectNhwc(data);
    expect(stages.at(-1)).toBe(7);
  });

  it('a truncated record file names the file and the stray bytes', async () => {
    const root = tempDir('cifar-trunc');
    const folder = writeCifarFolder(root, PER_BATCH);
    const file = join(folder, 'data_batch_3.bin');
    writeFileSync(file, readFileSync(file).subarray(0, 3 * 3073 + 100));
    const error = await loadDataset('cifar10', { path: folder }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error.file).toBe(file);
    expect(error.message).toMatch(
      /not a whole number of 3073-byte records \(3 records and 100 stray bytes\)/,
    );
  });

  it('a label byte above 9 (e.g. a CIFAR-100 file) is rejected', async () => {
    const root = tempDir('cifar-label');
    const folder = writeCifarFolder(root, PER_BATCH);
    const file = join(folder, 'test_batch.bin');
    const bytes = readFileSync(file);
    bytes[3073] = 42;
    writeFileSync(file, bytes);
    await expect(loadDataset('cifar10', { path: folder })).rejects.toThrow(
      /test_batch\.bin: record 1 has label 42, expected 0\.\.9/,
    );
  });

  it('missing batch or meta file, and a wrong class list', async () => {
    const root = tempDir('cifar-missing');
    const folder = writeCifarFolder(root, PER_BATCH);
    rmSync(join(folder, 'data_batch_5.bin'));
    const error = await loadDataset('cifar10', { path: folder }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetNotFoundError);
    expect(error.message).toMatch(/data_batch_5\.bin: does not exist; .*cifar-10-binary\.tar\.gz/);
    writeCifarFolder(root, PER_BATCH);
    writeFileSync(join(folder, 'batches.meta.txt'), 'cat\ndog\n');
    await expect(loadDataset('cifar10', { path: folder })).rejects.toThrow(
      /batches\.meta\.txt: lists 2 class names, expected 10/,
    );
    await expect(loadDataset('cifar10', {})).rejects.toThrow(/CIFAR-10 needs its files/);
    await expect(loadDataset('cifar10', { path: join(root, 'absent.tar.gz') })).rejects.toThrow(
      /absent\.tar\.gz: does not exist/,
    );
  });

  it('an archive lacking a batch, a truncated archive and a non-gzip file', async () => {
    const root = tempDir('cifar-bad-tar');
    const folder = writeCifarFolder(root, PER_BATCH);
    rmSync(join(folder, 'test_batch.bin'));
    const partial = tarGz(root, 'cifar-10-batches-bin', join(root, 'partial.tar.gz'));
    await expect(loadDataset('cifar10', { path: partial })).rejects.toThrow(
      /the archive lacks test_batch\.bin/,
    );
    writeCifarFolder(root, PER_BATCH);
    const full = tarGz(root, 'cifar-10-batches-bin', join(root, 'full.tar.gz'));
    const bytes = readFileSync(full);
    const cut = join(root, 'cut.tar.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await loadDataset('cifar10', { path: cut }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error.message).toMatch(
      /cut\.tar\.gz: cannot be read as a gzipped tar archive \(unexpected end of file\)/,
    );
    const notGz = join(root, 'plain.tar.gz');
    writeFileSync(notGz, 'this is not gzip');
    await expect(loadDataset('cifar10', { path: notGz })).rejects.toThrow(
      /plain\.tar\.gz: cannot be read as a gzipped tar archive/,
    );
  });
});
