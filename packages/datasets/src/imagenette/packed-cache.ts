import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory, tempPathFor } from '@trustgrad/core-tensor';
import { fileRecordSource } from '../source/file-record-source';
import type { ImageShape } from '../source/image-shape';
import type { ImageSource } from '../source/image-source';

/** A packed cache file opened for streaming. */
export interface PackedCache {
  readonly source: ImageSource;
  readonly labels: Int32Array;
}

const MAGIC = Buffer.from('TGPACK1\n', 'ascii');
const VERSION = 2;
/** Stands for the checksum while the records are written; as long as a SHA-256 in hex. */
const PENDING = '0'.repeat(64);

interface PackHeader {
  version: number;
  fingerprint: string;
  count: number;
  imageShape: [number, number, number];
  /** SHA-256 (hex) of everything after the header: the labels and the records. */
  sha256: string;
}

/**
 * Opens the packed file at `path` if it exists, is complete, was built from
 * a source with this `fingerprint` and its labels and records match the
 * SHA-256 in its header (one streaming pass over the file, ~1 s per GB);
 * otherwise returns null (rebuild it), so a corrupted cache is never read.
 *
 * Layout: `"TGPACK1\n"`, uint32 LE header length, JSON header
 * `{ version, fingerprint, count, imageShape, sha256 }`, `count` int32 LE
 * labels, then `count` records of `h·w·c` bytes (NHWC).
 */
export async function openPackedCache(
  path: string,
  fingerprint: string,
): Promise<PackedCache | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const start = Buffer.alloc(MAGIC.length + 4);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    if (bytesRead !== start.length || !start.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const headerLength = start.readUInt32LE(MAGIC.length);
    if (headerLength > 1 << 20) return null;
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, start.length);
    let header: PackHeader;
    try {
      header = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      return null;
    }
    if (header.version !== VERSION || header.fingerprint !== fingerprint) return null;
    const [h, w, c] = header.imageShape;
    const labelsAt = start.length + headerLength;
    const pixelsAt = labelsAt + 4 * header.count;
    const expectedSize = pixelsAt + header.count * h * w * c;
    if ((await stat(path)).size !== expectedSize) return null;
    if ((await sha256Of(path, labelsAt)) !== header.sha256) return null;
    const labelBytes = Buffer.alloc(4 * header.count);
    await handle.read(labelBytes, 0, labelBytes.length, labelsAt);
    const labels = new Int32Array(header.count);
    for (let i = 0; i < header.count; i++) labels[i] = labelBytes.readInt32LE(4 * i);
    return {
      labels,
      source: fileRecordSource({
        path,
        offset: pixelsAt,
        length: header.count,
        imageShape: header.imageShape,
      }),
    };
  } finally {
    await handle.close();
  }
}

/**
 * Writes a packed cache: `produce(i)` gives record `i`'s bytes, called with up
 * to `concurrency` in flight; records go straight to disk, so memory holds
 * only those in flight. Written to a temporary file, checksummed, flushed and
 * renamed into place.
 */
export async function writePackedCache(
  path: string,
  fingerprint: string,
  imageShape: ImageShape,
  labels: Int32Array,
  produce: (index: number) => Promise<Uint8Array>,
  concurrency: number,
  onRecord?: (done: number) => void,
): Promise<void> {
  const [h, w, c] = imageShape;
  const recordBytes = h * w * c;
  const header = Buffer.from(
    JSON.stringify({
      version: VERSION,
      fingerprint,
      count: labels.length,
      imageShape: [h, w, c],
      sha256: PENDING,
    } satisfies PackHeader),
    'utf8',
  );
  const start = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(start);
  start.writeUInt32LE(header.length, MAGIC.length);
  const labelBytes = Buffer.alloc(4 * labels.length);
  for (let i = 0; i < labels.length; i++) labelBytes.writeInt32LE(labels[i], 4 * i);
  const pixelsAt = start.length + header.length + labelBytes.length;
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'w');
  let ok = false;
  try {
    await handle.write(Buffer.concat([start, header, labelBytes]), 0, pixelsAt, 0);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < labels.length) {
        const index = next++;
        const record = await produce(index);
        if (record.length !== recordBytes)
          throw new RangeError(
            `record ${index} has ${record.length} bytes, expected ${recordBytes}`,
          );
        await handle.write(record, 0, recordBytes, pixelsAt + index * recordBytes);
        onRecord?.(++done);
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(concurrency, labels.length)) }, worker),
    );
    // Records land out of order, so the checksum is taken by reading them back once.
    const sha256 = await sha256Of(tmp, start.length + header.length);
    const field = '"sha256":"';
    const at = start.length + header.indexOf(`${field}${PENDING}"`) + field.length;
    await handle.write(Buffer.from(sha256, 'ascii'), 0, PENDING.length, at);
    await handle.sync();
    ok = true;
  } finally {
    await handle.close();
    if (!ok) await rm(tmp, { force: true });
  }
  await rename(tmp, path);
  syncDirectory(dirname(path));
}

/** SHA-256 (hex) of the file's bytes from `offset` to its end. */
async function sha256Of(path: string, offset: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start: offset, highWaterMark: 1 << 20 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}
