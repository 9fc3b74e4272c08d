import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

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
