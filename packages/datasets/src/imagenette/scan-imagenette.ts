import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFormatError, DatasetNotFoundError } from '../errors/dataset-errors';
import { fileSystemError } from '../formats/read-bytes';
import { IMAGENETTE_CLASSES } from './imagenette-classes';

/** One image file of a split, with its label and what identifies its version. */
export interface ImageFile {
  readonly path: string;
  readonly label: number;
  readonly size: number;
  readonly mtimeMs: number;
}

const FIX =
  'expected the official ImageNette layout (<root>/train and <root>/val, one folder per WordNet id holding JPEG files) — re-extract imagenette2-160.tgz (or -320, or full size)';

/**
 * Lists `<root>/<split>/<wnid>/*.JPEG` in a fixed order (class, then file
 * name). A missing or extra class folder, an empty class folder or a
 * non-JPEG file is an error, so the labels are never silently wrong.
 */
export async function scanImagenetteSplit(root: string, split: string): Promise<ImageFile[]> {
  const dir = join(root, split);
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fileSystemError(dir, error, FIX);
  }
  const known = new Set<string>(IMAGENETTE_CLASSES.map((c) => c.wnid));
  const extra = entries
    .filter((e) => !e.name.startsWith('.') && !known.has(e.name))
    .map((e) => e.name);
  if (extra.length) {
    throw new DatasetFormatError(
      dir,
      `holds ${extra.map((n) => `"${n}"`).join(', ')}, which are not ImageNette class folders; ${FIX}`,
    );
  }
  const files: ImageFile[] = [];
  for (const [label, { wnid, name }] of IMAGENETTE_CLASSES.entries()) {
    const classDir = join(dir, wnid);
    if (!entries.some((e) => e.name === wnid && e.isDirectory())) {
      throw new DatasetNotFoundError(classDir, `the class folder of "${name}" is missing; ${FIX}`);
    }
    let names: string[];
    try {
      names = (await readdir(classDir)).filter((n) => !n.startsWith('.')).sort();
    } catch (error) {
      throw fileSystemError(classDir, error, FIX);
    }
    const notJpeg = names.filter((n) => !/\.jpe?g$/i.test(n));
    if (notJpeg.length) {
      throw new DatasetFormatError(join(classDir, notJpeg[0]), `is not a .JPEG file; ${FIX}`);
    }
    if (names.length === 0)
      throw new DatasetNotFoundError(classDir, `the class folder of "${name}" is empty; ${FIX}`);
    for (const fileName of names) {
      const path = join(classDir, fileName);
      let info: import('node:fs').Stats;
      try {
        info = await stat(path);
      } catch (error) {
        throw fileSystemError(path, error, FIX);
      }
      files.push({ path, label, size: info.size, mtimeMs: info.mtimeMs });
    }
  }
  return files;
}
