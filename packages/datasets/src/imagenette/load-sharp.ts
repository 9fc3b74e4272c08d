import { MissingDependencyError } from '@trustgrad/core-tensor';
import type sharpModule from 'sharp';

/** sharp's default export: `sharp(input, options)` makes an image pipeline. */
export type Sharp = typeof sharpModule;

let loading: Promise<Sharp> | undefined;

/**
 * Loads sharp on first use, not when the package is imported: sharp is a
 * native module, and a program that never decodes a JPEG (another dataset, training)
 * must still start where its binary is missing (`npm install
 * --omit=optional`, a lockfile made on another OS).
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(
    (module) => (module as unknown as { default: Sharp }).default,
    (error: unknown) => {
      loading = undefined;
      throw new MissingDependencyError(
        `sharp could not be loaded (${(error as Error).message?.split('\n')[0] ?? String(error)}); ` +
          'decoding ImageNette JPEGs needs it: install it with `npm install sharp` ' +
          '(without --omit=optional, so its native binary for this platform comes with it)',
      );
    },
  );
  return loading;
}
