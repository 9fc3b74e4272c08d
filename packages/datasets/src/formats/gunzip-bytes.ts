import { DatasetFormatError, DatasetReadError } from '../errors/dataset-errors';

/** Whether `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * `bytes` as they are, or gunzipped when their content (not their name) is
 * gzip, with the Compression Streams API (`DecompressionStream('gzip')`: every
 * current browser, Node ≥ 18, Deno, Bun), so Node and the browser share it.
 * Corrupt or truncated gzip streams become a {@link DatasetFormatError} naming `file`.
 */
export async function gunzipIfGzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream !== 'function') {
    throw new DatasetReadError(
      file,
      'is gzipped, and this JavaScript host has no DecompressionStream to gunzip it; pass the gunzipped bytes ' +
        '(gunzip the file first, or let the server send it with Content-Encoding: gzip) or use a host with ' +
        'Compression Streams (Chrome 80, Firefox 113, Safari 16.4, Node 18)',
    );
  }
  try {
    // Blob copies the bytes, so a view on a SharedArrayBuffer (which BlobPart's type excludes) works too.
    const stream = new Blob([bytes as BlobPart])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new DatasetFormatError(
      file,
      `the gzip stream is corrupt or truncated (${(error as Error).message}); expected a complete .gz file — download it again`,
    );
  }
}
