import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgressCallback } from '@trustgrad/core-tensor';
import { downloadVerified } from '../download/download-verified';
import { DatasetNotFoundError } from '../errors/dataset-errors';
import { isDirectory } from '../formats/read-bytes';
import {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_DOWNLOADS,
  FASHION_MNIST_FILES,
  type FashionMnistFileRole,
} from './fashion-mnist-files';

/** Paths of the four IDX files. */
export type FashionMnistPaths = Record<FashionMnistFileRole, string>;

/** Options of {@link locateFashionMnist}. */
export interface LocateFashionMnistOptions {
  /** A folder holding the four files (raw or .gz). When given, it must hold them: there is no fallback. */
  readonly path?: string;
  /** The system folder tried next. Default `/usr/share/datasets/fashion-mnist`. */
  readonly systemDir?: string;
  /** Where downloads go (`<cacheDir>/fashion-mnist`). */
  readonly cacheDir: string;
  /** Allow the checksum-verified download as the last resort. Default true. */
  readonly download?: boolean;
  /** The fetch used for downloading (tests pass a fake). */
  readonly fetch?: typeof globalThis.fetch;
  readonly onProgress?: ProgressCallback;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** The four files in `dir` (each `<name>` or `<name>.gz`), or the names missing. */
async function filesIn(dir: string): Promise<{ paths?: FashionMnistPaths; missing: string[] }> {
  const paths: Partial<FashionMnistPaths> = {};
  const missing: string[] = [];
  for (const [role, base] of Object.entries(FASHION_MNIST_FILES) as [
    FashionMnistFileRole,
    string,
  ][]) {
    const gz = join(dir, `${base}.gz`);
    const raw = join(dir, base);
    if (await exists(gz)) paths[role] = gz;
    else if (await exists(raw)) paths[role] = raw;
    else missing.push(`${base}[.gz]`);
  }
  return missing.length ? { missing } : { paths: paths as FashionMnistPaths, missing };
}

const INSTALL_HINT =
  "install Debian's package (sudo apt-get install dataset-fashion-mnist) or pass { path } to a folder holding " +
  'train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz';

/**
 * Finds the Fashion-MNIST files: the user's `path`, then the Debian folder,
 * then a previous download in the cache, then a checksum-verified download.
 */
export async function locateFashionMnist(
  options: LocateFashionMnistOptions,
): Promise<FashionMnistPaths> {
  if (options.path !== undefined) {
    if (!(await isDirectory(options.path))) {
      throw new DatasetNotFoundError(
        options.path,
        `is not a folder; expected the folder of the Fashion-MNIST IDX files — ${INSTALL_HINT}`,
      );
    }
    const found = await filesIn(options.path);
    if (!found.paths) {
      throw new DatasetNotFoundError(
        options.path,
        `lacks ${found.missing.join(', ')}; expected the four Fashion-MNIST IDX files (raw or gzipped) — ${INSTALL_HINT}`,
      );
    }
    return found.paths;
  }
  const systemDir = options.systemDir ?? DEBIAN_FASHION_MNIST_DIR;
  const system = await filesIn(systemDir);
  if (system.paths) return system.paths;
  const cacheFolder = join(options.cacheDir, 'fashion-mnist');
  const cached = await filesIn(cacheFolder);
  if (cached.paths) return cached.paths;
  if (options.download === false) {
    throw new DatasetNotFoundError(
      systemDir,
      `has no Fashion-MNIST files and downloading is off (download: false); ${INSTALL_HINT}`,
    );
  }
  const paths: Partial<FashionMnistPaths> = {};
  const roles = Object.keys(FASHION_MNIST_FILES) as FashionMnistFileRole[];
  for (const role of roles) {
    const destination = join(cacheFolder, `${FASHION_MNIST_FILES[role]}.gz`);
    await downloadVerified(FASHION_MNIST_DOWNLOADS[role], destination, {
      fetch: options.fetch,
      fallbackHint: `no network? ${INSTALL_HINT}`,
      onProgress: options.onProgress,
    });
    paths[role] = destination;
  }
  return paths as FashionMnistPaths;
}
