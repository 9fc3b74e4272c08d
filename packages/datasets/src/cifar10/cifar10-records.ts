import { DatasetFormatError } from '../errors/dataset-errors';

/** Bytes of one CIFAR-10 binary record: 1 label byte + 3 × 32 × 32 pixels. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/** The six batch files of the official binary version. */
export const CIFAR10_TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
] as const;
export const CIFAR10_TEST_FILE = 'test_batch.bin';
export const CIFAR10_META_FILE = 'batches.meta.txt';

/** One batch file decoded: pixels NHWC bytes, labels. */
export interface CifarRecords {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/**
 * Decodes a CIFAR-10 binary batch: records of `<label byte><1024 R><1024 G><1024 B>`,
 * each channel row-major 32×32, into NHWC bytes (`out[(y·32 + x)·3 + c] = rec[1 + c·1024 + y·32 + x]`).
 */
export function decodeCifarBatch(bytes: Uint8Array, file: string): CifarRecords {
  if (bytes.length === 0)
    throw new DatasetFormatError(
      file,
      'is empty; expected CIFAR-10 records of 3073 bytes — download the archive again',
    );
  if (bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
    throw new DatasetFormatError(
      file,
      `is ${bytes.length} bytes, not a whole number of 3073-byte records (${whole} records and ${bytes.length % CIFAR10_RECORD_BYTES} stray bytes); ` +
        'the file is truncated or not the CIFAR-10 binary version (the Python version is pickled; CIFAR-100 has 2 label bytes) — download cifar-10-binary.tar.gz again',
    );
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR10_RECORD_BYTES;
    const label = bytes[base];
    if (label > 9) {
      throw new DatasetFormatError(
        file,
        `record ${r} has label ${label}, expected 0..9; this is not a CIFAR-10 binary batch (CIFAR-100 files have 2 label bytes)`,
      );
    }
    labels[r] = label;
    const out = r * 3072;
    for (let c = 0; c < 3; c++) {
      const plane = base + 1 + c * 1024;
      for (let p = 0; p < 1024; p++) images[out + p * 3 + c] = bytes[plane + p];
    }
  }
  return { images, labels };
}

/** Parses `batches.meta.txt`: one class name per line, 10 of them. */
export function parseCifarMeta(text: string, file: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== 10) {
    throw new DatasetFormatError(
      file,
      `lists ${names.length} class names, expected 10 (one per line); download the archive again`,
    );
  }
  return names;
}
