import { InvalidOptionError } from '@trustgrad/core-tensor';

/** Similarity of two saliency maps. */
export type MapSimilarity = 'cosine' | 'pearson';

/**
 * Similarity of two flattened maps after normalising each by its max |value|:
 * cosine `⟨a, b⟩ / (‖a‖‖b‖)` or Pearson correlation. Degenerate maps get
 * defined values: cosine of two zero maps 1, of one zero map 0; Pearson of two
 * constant maps 1, of one constant map 0.
 */
export function mapSimilarity(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  kind: MapSimilarity,
): number {
  if (kind !== 'cosine' && kind !== 'pearson') {
    throw new InvalidOptionError(`similarity must be 'cosine' or 'pearson', got ${String(kind)}`);
  }
  const n = a.length;
  const na = normaliseByMax(a);
  const nb = normaliseByMax(b);
  if (kind === 'pearson') {
    const ma = na.reduce((s, v) => s + v, 0) / n;
    const mb = nb.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) {
      na[i] -= ma;
      nb[i] -= mb;
    }
  }
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    dot += na[i] * nb[i];
    aa += na[i] * na[i];
    bb += nb[i] * nb[i];
  }
  if (aa === 0 && bb === 0) return 1;
  if (aa === 0 || bb === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(aa * bb)));
}

function normaliseByMax(v: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
  const out = Float64Array.from(v as ArrayLike<number>);
  if (max > 0) for (let i = 0; i < out.length; i++) out[i] /= max;
  return out;
}
