import type { Metadata, Sharp } from 'sharp';
import { DatasetFormatError } from '../errors/dataset-errors';
import { fileSystemError } from '../formats/read-bytes';
import { cmykToRgb } from './cmyk-to-rgb';
import { loadSharp, type Sharp as SharpModule } from './load-sharp';

/** How an image is brought to `size × size`. */
export type ResizeFit = 'center-crop' | 'stretch' | 'letterbox';

/** Options of {@link decodeJpeg}. */
export interface DecodeOptions {
  /** Output side in pixels. */
  readonly size: number;
  /**
   * `'center-crop'`: scale the shorter side to `size`, cut the centre (the
   * usual evaluation transform); `'stretch'`: scale each side to `size`;
   * `'letterbox'`: fit inside, pad with black.
   */
  readonly fit: ResizeFit;
  /**
   * Refuse greyscale and CMYK JPEGs with a {@link DatasetFormatError}
   * instead of converting them to RGB (grey replicated into R, G, B; CMYK by
   * Pillow's formula, see {@link cmykToRgb}).
   */
  readonly rejectNonRgb: boolean;
}

const SHARP_FIT = { 'center-crop': 'cover', stretch: 'fill', letterbox: 'contain' } as const;

/**
 * Decodes a JPEG with sharp, converts it to RGB as torchvision's `ImageFolder`
 * (Pillow `.convert('RGB')`) does — greyscale replicated into R, G and B,
 * CMYK by {@link cmykToRgb} — resizes it and returns `size × size × 3` bytes,
 * NHWC. Only a file that cannot be decoded (corrupt, truncated: sharp's
 * `failOn: 'warning'` catches premature ends, or not a JPEG) raises
 * {@link DatasetFormatError}, and a non-RGB one when `rejectNonRgb` is set.
 */
export async function decodeJpeg(path: string, options: DecodeOptions): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(path, { failOn: 'warning' }).metadata();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw fileSystemError(path, error, 'check the file');
    throw new DatasetFormatError(
      path,
      `cannot be decoded (${(error as Error).message}); expected a JPEG image — the file is corrupt, re-extract the dataset`,
    );
  }
  if (meta.format !== 'jpeg') {
    throw new DatasetFormatError(
      path,
      `is a ${meta.format ?? 'unknown'} image, expected JPEG; re-extract the dataset`,
    );
  }
  const rgb = meta.space === 'srgb' && meta.channels === 3;
  if (!rgb && options.rejectNonRgb) {
    throw new DatasetFormatError(
      path,
      `is a ${meta.channels}-channel ${meta.space} JPEG, expected RGB (3-channel sRGB); leave rejectNonRgb off to convert such images to RGB`,
    );
  }
  try {
    const { data, info } = await (await openAsRgb(sharp, path, meta))
      .resize(options.size, options.size, {
        fit: SHARP_FIT[options.fit],
        position: 'centre',
        background: { r: 0, g: 0, b: 0 },
      })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== options.size || info.height !== options.size) {
      throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}`);
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw new DatasetFormatError(
      path,
      `cannot be decoded (${(error as Error).message}); expected a complete JPEG — the file is corrupt, re-extract the dataset`,
    );
  }
}

/**
 * A sharp pipeline over the image in RGB. CMYK is decoded to its raw inks and
 * converted by Pillow's formula, not by libvips's ICC transform, whose colours
 * differ (e.g. Pillow (208, 84, 6), libvips (201, 99, 7) for one ink mix);
 * greyscale and RGB go straight through (libvips replicates grey, as Pillow does).
 */
async function openAsRgb(sharp: SharpModule, path: string, meta: Metadata): Promise<Sharp> {
  if (meta.space !== 'cmyk') return sharp(path, { failOn: 'warning' });
  const { data, info } = await sharp(path, { failOn: 'warning' })
    .pipelineColourspace('cmyk')
    .toColourspace('cmyk')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`CMYK decoded to ${info.channels} channels`);
  return sharp(cmykToRgb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)), {
    raw: { width: info.width, height: info.height, channels: 3 },
  });
}
