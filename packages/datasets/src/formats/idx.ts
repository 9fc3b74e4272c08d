import { DatasetFormatError } from '../errors/dataset-errors';

/** A parsed IDX file of unsigned bytes (the MNIST / Fashion-MNIST format). */
export interface IdxArray {
  /** Dimension sizes from the header, e.g. `[60000, 28, 28]`. */
  readonly dims: readonly number[];
  /** The values, row-major. */
  readonly data: Uint8Array;
}

const DTYPE_NAMES: Record<number, string> = {
  8: 'ubyte',
  9: 'byte',
  11: 'short',
  12: 'int',
  13: 'float',
  14: 'double',
};

/**
 * Parses an IDX file (http://yann.lecun.com/exdb/mnist/): 2 zero bytes, a
 * dtype byte, a rank byte, `rank` big-endian uint32 sizes, then the data.
 * Only unsigned bytes (0x08) are accepted; images have rank 3 (magic 2051),
 * labels rank 1 (magic 2049). A data length that disagrees with the header
 * (truncated or with extra bytes) is an error.
 */
export function parseIdx(bytes: Uint8Array, file: string, rank: 1 | 3): IdxArray {
  const expectedMagic = 0x0800 + rank;
  const what = rank === 3 ? 'an images file' : 'a labels file';
  if (bytes.length < 4) {
    throw new DatasetFormatError(
      file,
      `is ${bytes.length} bytes long, too short for an IDX header; expected ${what} (magic ${expectedMagic}) — download it again`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const other =
      magic === 2049
        ? ' (is this a labels file?)'
        : magic === 2051
          ? ' (is this an images file?)'
          : '';
    const dtype = bytes[2];
    const dtypeNote =
      bytes[0] === 0 && bytes[1] === 0 && bytes[3] === rank && dtype !== 0x08
        ? ` (dtype ${DTYPE_NAMES[dtype] ?? `0x${dtype.toString(16)}`}, only ubyte is supported)`
        : '';
    throw new DatasetFormatError(
      file,
      `magic ${magic}, expected ${expectedMagic}${other}${dtypeNote}; expected ${what} in IDX format`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DatasetFormatError(
      file,
      `is truncated inside its header (${bytes.length} of ${headerBytes} bytes); download it again`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    const records = dims[0];
    const recordSize = expected / Math.max(records, 1);
    const held = recordSize > 0 ? actual / recordSize : 0;
    const problem = actual < expected ? 'is truncated' : 'has extra bytes after the data';
    throw new DatasetFormatError(
      file,
      `${problem}: the header says ${records} records of ${dims.slice(1).join('x') || '1'} (${expected} bytes) but the file holds ${actual} bytes (${Number.isInteger(held) ? held : held.toFixed(2)} records); download it again`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}
