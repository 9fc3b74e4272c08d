import { describe, expect, it } from 'vitest';
import { DatasetFormatError } from '../errors/dataset-errors';
import { idxBytes } from '../testing/fixtures';
import { parseIdx } from './idx';

describe('parseIdx', () => {
  it('reads dims and data of an images file', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const parsed = parseIdx(idxBytes([2, 3, 4], data), 'x', 3);
    expect(parsed.dims).toEqual([2, 3, 4]);
    expect([...parsed.data]).toEqual([...data]);
  });

  it('names a labels file passed as images by its magic', () => {
    expect(() =>
      parseIdx(idxBytes([5], new Uint8Array(5)), 'train-images-idx3-ubyte.gz', 3),
    ).toThrow(/train-images-idx3-ubyte\.gz: magic 2049, expected 2051 \(is this a labels file\?\)/);
  });

  it('rejects a non-byte dtype, saying so', () => {
    const bytes = idxBytes([1], new Uint8Array(4));
    bytes[2] = 0x0d;
    expect(() => parseIdx(bytes, 'f', 1)).toThrow(/dtype float, only ubyte/);
  });

  it('rejects truncated data and extra bytes with the record counts', () => {
    const full = idxBytes([3, 2, 2], new Uint8Array(12));
    expect(() => parseIdx(full.subarray(0, full.length - 4), 'f', 3)).toThrow(
      /truncated: the header says 3 records of 2x2 \(12 bytes\) but the file holds 8 bytes \(2 records\)/,
    );
    const extra = idxBytes([3, 2, 2], new Uint8Array(16));
    expect(() => parseIdx(extra, 'f', 3)).toThrow(/extra bytes/);
    expect(() => parseIdx(new Uint8Array(2), 'f', 3)).toThrow(DatasetFormatError);
    expect(() => parseIdx(full.subarray(0, 10), 'f', 3)).toThrow(/inside its header/);
  });
});
