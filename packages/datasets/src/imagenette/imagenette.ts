import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ProgressCallback } from '@trustgrad/core-tensor';
import { InvalidOptionError, removeStaleTemps } from '@trustgrad/core-tensor';
import { defaultCacheDir } from '../download/cache-dir';
import { DatasetNotFoundError } from '../errors/dataset-errors';
import { defineDataset } from '../plugin/define-dataset';
import type { ImageShape } from '../source/image-shape';
import { DataSplit } from '../split/data-split';
import { decodeJpeg, type ResizeFit } from './decode-jpeg';
import { IMAGENETTE_CLASS_NAMES } from './imagenette-classes';
import { openPackedCache, writePackedCache } from './packed-cache';
import { scanImagenetteSplit } from './scan-imagenette';

/** Options of the `imagenette` dataset. */
export interface ImagenetteOptions {
  /** The extracted folder (`imagenette2`, `imagenette2-320` or `imagenette2-160`) holding `train/` and `val/`. */
  readonly path?: string;
  /** Side of the square images produced, in pixels. Default 160. */
  readonly imageSize?: number;
  /** How images are brought to `imageSize` (see {@link ResizeFit}). Default `'center-crop'`. */
  readonly fit?: ResizeFit;
  /**
   * Refuse greyscale and CMYK JPEGs instead of converting them to RGB.
   * Default false: they are converted, as torchvision's `ImageFolder` does
   * (the real ImageNette holds some greyscale JPEGs).
   */
  readonly rejectNonRgb?: boolean;
  /** Folder of the packed caches. Default {@link defaultCacheDir}. */
  readonly cacheDir?: string;
  /** JPEGs decoded at once on the first pass. Default 4. */
  readonly concurrency?: number;
  readonly onProgress?: ProgressCallback;
}

const GET_IT =
  'download https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz, extract it and pass { path } to the imagenette2-160 folder';

/**
 * One split, from its packed cache when that was built from the same files
 * with the same options; otherwise decoded with sharp into a new cache first.
 */
async function loadSplit(
  root: string,
  folder: 'train' | 'val',
  options: Required<Omit<ImagenetteOptions, 'path' | 'onProgress'>>,
  onProgress?: ProgressCallback,
): Promise<DataSplit> {
  const files = await scanImagenetteSplit(root, folder);
  const settings = {
    size: options.imageSize,
    fit: options.fit,
    rejectNonRgb: options.rejectNonRgb,
  };
  const key = createHash('sha256')
    .update(JSON.stringify({ root, folder, ...settings }))
    .digest('hex')
    .slice(0, 20);
  // Any added, removed, replaced or touched file changes the fingerprint and so invalidates the cache.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(files.map((f) => [f.path, f.size, f.mtimeMs, f.label])))
    .digest('hex');
  await mkdir(options.cacheDir, { recursive: true });
  // Half-written caches of a killed first pass.
  removeStaleTemps(options.cacheDir);
  const cachePath = join(options.cacheDir, `imagenette-${folder}-${settings.size}px-${key}.tgpack`);
  const imageShape: ImageShape = [settings.size, settings.size, 3];
  const name = folder === 'val' ? 'test' : 'train';
  let cache = await openPackedCache(cachePath, fingerprint);
  if (cache) {
    onProgress?.({ stage: 'cache', done: files.length, total: files.length, file: cachePath });
  } else {
    const labels = Int32Array.from(files.map((f) => f.label));
    await writePackedCache(
      cachePath,
      fingerprint,
      imageShape,
      labels,
      (i) => decodeJpeg(files[i].path, settings),
      options.concurrency,
      (done) =>
        onProgress?.({ stage: 'decode', done, total: files.length, file: join(root, folder) }),
    );
    cache = await openPackedCache(cachePath, fingerprint);
    if (!cache)
      throw new DatasetNotFoundError(
        cachePath,
        'the cache just written cannot be read back; check the disk and the cacheDir permissions',
      );
  }
  return new DataSplit({
    name,
    source: cache.source,
    labels: cache.labels,
    classNames: IMAGENETTE_CLASS_NAMES,
  });
}

/**
 * ImageNette (fast.ai): 10 easy ImageNet classes, ~9.5k train / ~3.9k val
 * JPEGs in the official folder layout, any of its sizes (full, 320, 160).
 * The first load decodes and resizes with sharp into a packed cache file
 * (keyed by the folder and the options, fingerprinted by every file's size and
 * mtime); later loads open the cache and stream batches from it. At 160 px
 * the train cache is 9 469 × 76 800 B ≈ 727 MB on disk, never in memory.
 */
export const imagenette = defineDataset<ImagenetteOptions>(
  {
    name: 'imagenette',
    description: 'ImageNette (fast.ai): 10 easy ImageNet classes, resized to square colour images',
    classNames: IMAGENETTE_CLASS_NAMES,
    imageShape: [160, 160, 3],
    source:
      'official folder layout: <root>/{train,val}/<wnid>/*.JPEG (imagenette2, -320 or -160), decoded with sharp, cached packed',
    defaults: {
      path: undefined,
      imageSize: 160,
      fit: 'center-crop',
      rejectNonRgb: false,
      cacheDir: undefined,
      concurrency: 4,
    },
    async load(options) {
      if (options.path === undefined)
        throw new DatasetNotFoundError('(no path)', `ImageNette needs its folder; ${GET_IT}`);
      const imageSize = options.imageSize ?? 160;
      if (!Number.isInteger(imageSize) || imageSize < 8 || imageSize > 1024) {
        throw new InvalidOptionError(`imageSize must be an integer in 8..1024, got ${imageSize}`);
      }
      const fit = options.fit ?? 'center-crop';
      if (!['center-crop', 'stretch', 'letterbox'].includes(fit)) {
        throw new InvalidOptionError(
          `fit must be 'center-crop', 'stretch' or 'letterbox', got ${JSON.stringify(fit)}`,
        );
      }
      const rejectNonRgb = options.rejectNonRgb ?? false;
      if (typeof rejectNonRgb !== 'boolean')
        throw new InvalidOptionError(
          `rejectNonRgb must be true or false, got ${JSON.stringify(rejectNonRgb)}`,
        );
      const concurrency = options.concurrency ?? 4;
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new InvalidOptionError(`concurrency must be a positive integer, got ${concurrency}`);
      const resolved = {
        imageSize,
        fit,
        rejectNonRgb,
        concurrency,
        cacheDir: options.cacheDir ?? join(defaultCacheDir(), 'imagenette'),
      };
      const root = resolve(options.path);
      const train = await loadSplit(root, 'train', resolved, options.onProgress);
      const test = await loadSplit(root, 'val', resolved, options.onProgress);
      return { train, test };
    },
  },
  { replace: true },
);
