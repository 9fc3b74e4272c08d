import { InvalidOptionError } from '@trustgrad/core-tensor';
import { ssimSignal } from '../similarity/ssim';
import { correlation } from '../statistics/correlation';

/** How the randomisation tests compare two maps (Quantus' `similarity_func`). */
export type RandomisationSimilarity = 'spearman' | 'pearson' | 'ssim';

/** Fails with `InvalidOptionError` unless `kind` is a {@link RandomisationSimilarity}. */
export function checkRandomisationSimilarity(kind: unknown): void {
  if (kind !== 'ssim' && kind !== 'spearman' && kind !== 'pearson') {
    throw new InvalidOptionError(
      `similarity must be 'spearman', 'pearson' or 'ssim', got ${JSON.stringify(kind)}`,
    );
  }
}

/**
 * Per-sample similarity of two batches of flattened maps (`[n·d]` values
 * each): Spearman's ρ, Pearson's r, or 1-D SSIM ({@link ssimSignal}, Quantus'
 * `ssim` on flattened maps). `abs` takes |·| of both first; `normalise`
 * scales each map by its own max |a| (Quantus' `normalise_by_max`, which it
 * takes over the whole batch; per sample here so a value does not depend on
 * the other samples; only SSIM is affected).
 */
export function mapSimilarities(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  kind: RandomisationSimilarity,
  { abs, normalise }: { abs: boolean; normalise: boolean },
): number[] {
  checkRandomisationSimilarity(kind);
  const compare = kind === 'ssim' ? ssimSignal : correlation(kind);
  const d = a.length / n;
  const prepare = (src: ArrayLike<number>, i: number): Float64Array => {
    const out = Float64Array.from({ length: d }, (_, k) => src[i * d + k]);
    let peak = 0;
    for (let k = 0; k < d; k++) {
      if (abs) out[k] = Math.abs(out[k]);
      peak = Math.max(peak, Math.abs(out[k]));
    }
    if (normalise && peak > 0) for (let k = 0; k < d; k++) out[k] /= peak;
    return out;
  };
  return Array.from({ length: n }, (_, i) => compare(prepare(a, i), prepare(b, i)));
}
