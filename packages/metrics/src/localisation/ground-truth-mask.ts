import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { type PixelRelevance, pixelRelevance } from '../relevance/pixel-relevance';

/**
 * The ground-truth mask as one 0/1 flag per pixel, `[n][h·w]` in JS: a pixel
 * is inside when any of its channels is > 0.5. Fails naming the sample when a
 * mask is empty (localisation is undefined without an object).
 */
export async function pixelMask(mask: tf.Tensor): Promise<Uint8Array[]> {
  const flat = tf.tidy(() => {
    const m = mask.rank === 3 ? mask : tf.max(mask, 3);
    return tf.cast(tf.greater(tf.reshape(m, [mask.shape[0], -1]), 0.5), 'int32');
  });
  const data = await flat.data();
  const [n, pixels] = flat.shape;
  flat.dispose();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = Uint8Array.from(data.subarray(i * pixels, (i + 1) * pixels));
    if (!row.some((v) => v === 1)) {
      throw new InvalidOptionError(
        `ground-truth mask of sample ${i} is empty (no value > 0.5); localisation needs at least one object pixel — drop the sample or fix the mask`,
      );
    }
    out.push(row);
  }
  return out;
}

/** One sample's per-pixel relevance (`h·w`, row-major) beside its ground-truth mask. */
export interface LocalisationSample {
  relevance: Float32Array;
  mask: Uint8Array;
}

/**
 * What every localisation metric compares: each sample's per-pixel relevance
 * ({@link pixelRelevance} of its explanation) and its {@link pixelMask}.
 *
 * @param explanations `[n, h, w, c]`
 * @param mask `[n, h, w]` or `[n, h, w, c]`
 */
export async function localisationSamples(
  explanations: tf.Tensor4D,
  mask: tf.Tensor,
  mode: PixelRelevance,
): Promise<LocalisationSample[]> {
  const rel = pixelRelevance(explanations, mode);
  const r = (await rel.data()) as Float32Array;
  const pixels = rel.shape[1];
  rel.dispose();
  const masks = await pixelMask(mask);
  return masks.map((m, i) => ({ relevance: r.subarray(i * pixels, (i + 1) * pixels), mask: m }));
}
