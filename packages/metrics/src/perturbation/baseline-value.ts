import { InvalidOptionError, type SeededRandom } from '@trustgrad/core-tensor';

/**
 * The value that replaces a removed feature, named as Quantus'
 * `perturb_baseline` (`get_baseline_dict`): `'black'` the sample's minimum,
 * `'white'` its maximum, `'mean'` its mean, `'uniform'` a fresh U[0, 1) draw
 * per replaced feature, or a number.
 */
export type Baseline = 'black' | 'white' | 'mean' | 'uniform' | number;

const NAMED = ['black', 'white', 'mean', 'uniform'];

/** Fails with `InvalidOptionError` unless `baseline` is one of {@link Baseline}. */
export function checkBaseline(baseline: unknown, name = 'baseline'): asserts baseline is Baseline {
  const ok =
    (typeof baseline === 'number' && Number.isFinite(baseline)) ||
    (typeof baseline === 'string' && NAMED.includes(baseline));
  if (!ok) {
    throw new InvalidOptionError(
      `${name} must be a finite number or one of ${NAMED.map((b) => `'${b}'`).join(', ')} ` +
        `(Quantus' perturb_baseline), got ${JSON.stringify(baseline)}`,
    );
  }
}

/**
 * A fill for one sample: `fill()` returns the next replacement value. Constant
 * for 'black', 'white', 'mean' and numbers (computed once from `image`); a new
 * `rng` draw per call for 'uniform'.
 */
export function baselineFill(
  image: ArrayLike<number>,
  baseline: Baseline,
  rng: SeededRandom,
): () => number {
  if (baseline === 'uniform') return () => rng.uniform();
  let value: number;
  if (typeof baseline === 'number') value = baseline;
  else {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let k = 0; k < image.length; k++) {
      const v = image[k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      sum += v;
    }
    value = baseline === 'black' ? lo : baseline === 'white' ? hi : sum / image.length;
  }
  return () => value;
}
