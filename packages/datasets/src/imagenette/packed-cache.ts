import { open, rename, rm, stat } from 'node:fs/promises';
import { fileRecordSource } from '../core/file-record-source';
import type { ImageSource } from '../core/image-source';
import type { ImageShape } from '../core/types';

/** A packed cache file opened for streaming. */
export interface PackedCache {
  readonly source: ImageSource;
  readonly labels: Int32Array;
}

const MAGIC = Buffer.from('TGPACK1\n', 'ascii');
const VERSION = 1;

interface PackHeader {
  version: number;
  fingerprint: string;
  count: number;
  imageShape: [number, number, number];
}

/**
 * Opens the packed file at `path` if it exists, is complete and was built from
 * a source with this `fingerprint`; otherwise returns null (rebuild it).
 *
 * Layout: `"TGPACK1\n"`, uint32 LE header length, JSON header
 * `{ version, fingerprint, count, imageShape }`, `count` int32 LE labels, then
 * `count` records of `h·w·c` bytes (NHWC).
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
 * only those in flight. Written to a temporary file renamed into place.
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
    } satisfies PackHeader),
    'utf8',
  );
  const start = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(start);
  start.writeUInt32LE(header.length, MAGIC.length);
  const labelBytes = Buffer.alloc(4 * labels.length);
  for (let i = 0; i < labels.length; i++) labelBytes.writeInt32LE(labels[i], 4 * i);
  const pixelsAt = start.length + header.length + labelBytes.length;
  const tmp = `${path}.tmp-${process.pid}`;
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
    ok = true;
  } finally {
    await handle.close();
    if (!ok) await rm(tmp, { force: true });
  }
  await rename(tmp, path);
}
