import type { Metadata } from 'sharp';
import { DatasetFormatError } from '../errors/dataset-errors';
import { fileSystemError } from '../formats/read-bytes';
import { loadSharp } from './load-sharp';

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
  /** `'error'`: grey/CMYK JPEGs raise; `'convert'`: convert them to sRGB. */
  readonly nonRgb: 'error' | 'convert';
}

const SHARP_FIT = { 'center-crop': 'cover', stretch: 'fill', letterbox: 'contain' } as const;

/**
 * Decodes a JPEG with sharp, checks it is RGB, resizes it and returns
 * `size × size × 3` bytes, NHWC. Corrupt or truncated files (sharp's
 * `failOn: 'warning'` catches premature ends) raise {@link DatasetFormatError}.
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
  if (!rgb && options.nonRgb === 'error') {
    throw new DatasetFormatError(
      path,
      `is a ${meta.channels}-channel ${meta.space} JPEG, expected RGB (3-channel sRGB); pass { nonRgb: 'convert' } to convert such images to RGB`,
    );
  }
  try {
    const { data, info } = await sharp(path, { failOn: 'warning' })
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
