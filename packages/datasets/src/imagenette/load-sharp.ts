import { optionalDependency } from '@trustgrad/core-tensor';
import type sharpModule from 'sharp';

/** sharp's default export: `sharp(input, options)` makes an image pipeline. */
export type Sharp = typeof sharpModule;

/** sharp, loaded on first use (see core-tensor's `optionalDependency`). */
export const loadSharp = optionalDependency<Sharp>(
  'sharp',
  'decoding ImageNette JPEGs',
  () => import('sharp'),
);
