import { DatasetFormatError } from '../errors/dataset-errors';

const BLOCK = 512;

/** A regular file read out of a tar archive. */
export interface TarEntry {
  /** Path inside the archive (GNU long names and pax `path` applied). */
  readonly name: string;
  /** The file's bytes. */
  readonly data: Uint8Array;
}

interface Header {
  name: string;
  size: number;
  type: string;
}

/**
 * Reads a tar archive (POSIX ustar, with GNU long-name `L` and pax `x`
 * records) from a stream of chunks, yielding the regular files for which
 * `want(name)` is true. Entries not wanted are skipped without being held,
 * so memory holds at most one wanted file. `file` names the archive in errors.
 */
export async function* readTarEntries(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  want: (name: string) => boolean,
): AsyncGenerator<TarEntry> {
  let pending = new Uint8Array(0); // bytes of a header not yet complete
  let header: Header | null = null; // the entry whose data is being read
  let remaining = 0; // data bytes of the current entry still to come
  let padding = 0; // padding bytes after the data still to skip
  let sink: Uint8Array | null = null; // where a wanted entry's data go
  let longName: string | null = null; // from a GNU 'L' or pax 'x' record, for the next entry
  let meta: Uint8Array | null = null; // data of an 'L' / 'x' record being read
  let offset = 0; // archive offset of the next byte, for error messages
  let ended = false;

  for await (const chunk of chunks) {
    let at = 0;
    while (at < chunk.length && !ended) {
      if (header) {
        if (remaining > 0) {
          const take = Math.min(remaining, chunk.length - at);
          const target = sink ?? meta;
          if (target) target.set(chunk.subarray(at, at + take), target.length - remaining);
          remaining -= take;
          at += take;
          offset += take;
        }
        if (remaining === 0 && padding > 0) {
          const skip = Math.min(padding, chunk.length - at);
          padding -= skip;
          at += skip;
          offset += skip;
        }
        if (remaining === 0 && padding === 0) {
          const done = header;
          header = null;
          if (done.type === 'L' && meta) {
            longName = cString(meta, 0, meta.length);
          } else if (done.type === 'x' && meta) {
            longName = paxPath(meta) ?? longName;
          } else if (sink) {
            const data = sink;
            sink = null;
            yield { name: done.name, data };
          }
          meta = null;
        }
        continue;
      }
      // Collect one 512-byte header block.
      const need = BLOCK - pending.length;
      const take = Math.min(need, chunk.length - at);
      const block = new Uint8Array(pending.length + take);
      block.set(pending);
      block.set(chunk.subarray(at, at + take), pending.length);
      at += take;
      if (block.length < BLOCK) {
        pending = block;
        continue;
      }
      pending = new Uint8Array(0);
      const blockOffset = offset;
      offset += BLOCK;
      if (block.every((b) => b === 0)) {
        ended = true; // end-of-archive marker
        break;
      }
      const parsed = parseHeader(block, file, blockOffset);
      if (longName !== null && parsed.type !== 'L' && parsed.type !== 'x') {
        parsed.name = longName;
        longName = null;
      }
      header = parsed;
      remaining = parsed.size;
      padding = (BLOCK - (parsed.size % BLOCK)) % BLOCK;
      const regular = parsed.type === '0' || parsed.type === '\0' || parsed.type === '7';
      if (parsed.type === 'L' || parsed.type === 'x') meta = new Uint8Array(parsed.size);
      else if (regular && want(parsed.name)) {
        sink = new Uint8Array(parsed.size);
      }
      if (remaining === 0 && padding === 0) {
        // An empty entry completes at once.
        const done = header;
        header = null;
        if (sink) {
          const data = sink;
          sink = null;
          yield { name: done.name, data };
        }
        meta = null;
      }
    }
    if (ended) break;
  }
  if (header || pending.length > 0) {
    const where = header
      ? `inside "${header.name}" (${remaining} of ${header.size} bytes missing)`
      : 'inside a header';
    throw new DatasetFormatError(
      file,
      `the tar archive is truncated ${where}; expected a complete archive — download it again`,
    );
  }
}

function parseHeader(block: Uint8Array, file: string, at: number): Header {
  const stored = parseOctal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  if (stored === null || stored !== sum) {
    throw new DatasetFormatError(
      file,
      `bad tar header checksum at byte ${at} (stored ${stored ?? 'unreadable'}, computed ${sum}); expected a ustar archive — is the file a .tar(.gz) and complete?`,
    );
  }
  const name = cString(block, 0, 100);
  const magic = cString(block, 257, 6);
  // POSIX ustar (magic "ustar\0") may split long paths into prefix/name; GNU ("ustar  ") uses 'L' records instead.
  const prefix = magic === 'ustar' && block[345] !== 0 ? cString(block, 345, 155) : '';
  const size = parseSize(block, 124, 12);
  if (size === null)
    throw new DatasetFormatError(file, `unreadable entry size in the tar header at byte ${at}`);
  return { name: prefix ? `${prefix}/${name}` : name, size, type: String.fromCharCode(block[156]) };
}

function cString(bytes: Uint8Array, from: number, length: number): string {
  let end = from;
  while (end < from + length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(from, end));
}

function parseOctal(bytes: Uint8Array, from: number, length: number): number | null {
  const text = cString(bytes, from, length).trim();
  if (!/^[0-7]+$/.test(text)) return null;
  return Number.parseInt(text, 8);
}

/** Octal, or GNU base-256 (high bit of the first byte set) for large sizes. */
function parseSize(bytes: Uint8Array, from: number, length: number): number | null {
  if (bytes[from] & 0x80) {
    let value = bytes[from] & 0x7f;
    for (let i = from + 1; i < from + length; i++) value = value * 256 + bytes[i];
    return value;
  }
  return parseOctal(bytes, from, length);
}

/** The `path` record of pax extended-header data ("<len> path=<value>\n" records). */
function paxPath(data: Uint8Array): string | null {
  const text = new TextDecoder().decode(data);
  for (const line of text.split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1];
  }
  return null;
}
