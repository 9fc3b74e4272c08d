import type { SmoothingPadding } from '../options/smoothing-options';

/**
 * A direct, loop-by-loop evaluation of SPEC 2.1's formula, independent of the
 * tensor implementation, for tests: `y[b,h,w,c] = Σ_{i,j} g(i,j)·x̃[b,h+i,w+j,c]`
 * with `g(i,j) = exp(-(i²+j²)/(2σ²))/Z` and `x̃` the padded map.
 */
export function referenceSmoothing(
  x: Float32Array | number[],
  shape: [number, number, number, number],
  sigma: number,
  kernelSize: number,
  padding: SmoothingPadding,
): Float64Array {
  const [batch, height, width, channels] = shape;
  const r = (kernelSize - 1) / 2;
  const weights: number[][] = [];
  let z = 0;
  for (let i = -r; i <= r; i++) {
    const row: number[] = [];
    for (let j = -r; j <= r; j++) {
      const g =
        sigma === 0
          ? i === 0 && j === 0
            ? 1
            : 0
          : Math.exp(-(i * i + j * j) / (2 * sigma * sigma));
      row.push(g);
      z += g;
    }
    weights.push(row);
  }
  const source = (p: number, n: number): number | null => {
    if (p >= 0 && p < n) return p;
    if (padding === 'same') return null;
    if (padding === 'replicate') return p < 0 ? 0 : n - 1;
    return p < 0 ? -p : 2 * (n - 1) - p;
  };
  const y = new Float64Array(batch * height * width * channels);
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < height; h++)
      for (let w = 0; w < width; w++)
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let i = -r; i <= r; i++)
            for (let j = -r; j <= r; j++) {
              const hh = source(h + i, height);
              const ww = source(w + j, width);
              if (hh === null || ww === null) continue;
              sum +=
                (weights[i + r][j + r] / z) * x[((b * height + hh) * width + ww) * channels + c];
            }
          y[((b * height + h) * width + w) * channels + c] = sum;
        }
  return y;
}
