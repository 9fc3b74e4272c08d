/**
 * The arithmetic of trustgrad's training-mode BatchNorm kernels on plain
 * arrays, channels last (`x` `[M, C]` flattened). The cpu kernels run it as
 * is; the wasm kernels run the four passes ({@link channelMomentSums},
 * {@link channelGradientSums}, {@link channelNormalize},
 * {@link channelNormalizeGradient}) as SIMD exports of `heap-simd.wat` that
 * perform the same operations in the same order, and the per-channel steps
 * between them here, so both backends give the same bits.
 *
 * Per-channel operands are repeated to a period `L = lcm(C, 4)` floats, so the
 * SIMD passes see rows of whole vectors for any `C`; a pass's sums per lane are
 * folded back to channels by {@link foldLanes}.
 */

const f32 = Math.fround;

/** Floats per tile of the two sum passes: 16 KB, so a tile stays in L1 while each 4-lane group walks its rows. */
export const SUM_TILE_FLOATS = 4096;

/**
 * Tiles per chunk of the two sum passes. The rows go in chunks of this many
 * tiles, each chunk summed into its own partial from zero and the partials
 * added in chunk order: the wasm kernels split the chunks over threads, and
 * the sums are the same bits for any number of threads (and on cpu).
 */
export const SUM_CHUNK_TILES = 16;

/** `lcm(C, 4)`: the period the per-channel operands are repeated to. */
export function channelPeriod(channels: number): number {
  return channels % 4 === 0 ? channels : channels % 2 === 0 ? 2 * channels : 4 * channels;
}

/** Rows of `period` floats per tile of the sum passes (at least one). */
export function tileRows(period: number): number {
  return Math.max(1, Math.floor(SUM_TILE_FLOATS / period));
}

/** Rows of `period` floats per chunk of the sum passes ({@link SUM_CHUNK_TILES} tiles). */
export function chunkRows(period: number): number {
  return SUM_CHUNK_TILES * tileRows(period);
}

/** Chunks of {@link chunkRows} rows covering `rows` rows. */
export function chunkCount(rows: number, period: number): number {
  return Math.ceil(rows / chunkRows(period));
}

/**
 * `acc[k] += partials[c·2L + k]` for the chunks `c = 0, 1, …, chunks − 1` in
 * that order (`partials` `[chunks, 2L]`, `acc` `[2L]`, `L = period`).
 */
export function addChunkPartials(
  partials: Float64Array,
  chunks: number,
  period: number,
  acc: Float64Array,
): void {
  for (let c = 0; c < chunks; c++) {
    const base = 2 * period * c;
    for (let k = 0; k < 2 * period; k++) acc[k] += partials[base + k];
  }
}

/** `out[k] = values[k mod C]` for `k < out.length` (`C = values.length`). */
export function repeatPerChannel(values: ArrayLike<number>, out: Float32Array): void {
  const channels = values.length;
  for (let k = 0; k < out.length; k++) out[k] = values[k % channels];
}

/**
 * The shift of the one-pass moments: each channel's first sample, or 0 where
 * that is ±∞ or NaN (a shift of ∞ would turn the mean of a channel holding
 * one ∞ into NaN; tfjs gives ∞ there).
 */
export function momentShift(x: Float32Array, channels: number): Float32Array {
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) shift[c] = Number.isFinite(x[c]) ? x[c] : 0;
  return shift;
}

/**
 * The order every chunked per-channel sum runs in (and the SIMD kernels with it): chunks
 * of `chunkRows(period)` rows, each from zero, tiles of `tileRows(period)` rows within a
 * chunk summed by `sumTile(r0, r1, partial)` into the chunk's partial (`2·period` float64
 * values), the partials added to `acc` in chunk order by {@link addChunkPartials}.
 */
function chunkedTileSums(
  rows: number,
  period: number,
  acc: Float64Array,
  sumTile: (r0: number, r1: number, partial: Float64Array) => void,
): void {
  const tile = tileRows(period);
  const chunk = chunkRows(period);
  const partial = new Float64Array(2 * period);
  for (let c0 = 0; c0 < rows; c0 += chunk) {
    partial.fill(0);
    const c1 = Math.min(c0 + chunk, rows);
    for (let r0 = c0; r0 < c1; r0 += tile) sumTile(r0, Math.min(r0 + tile, c1), partial);
    addChunkPartials(partial, 1, period, acc);
  }
}

/**
 * `acc[k] += Σ_r (x[r, k] − shift[k])` and `acc[L + k] += Σ_r (x[r, k] − shift[k])²` over
 * `rows` rows of `L = period` floats, in float64: chunk by chunk ({@link chunkRows}), tile
 * by tile within ({@link tileRows}), each lane's two sums over a tile one chain in row
 * order added to the chunk's partial (from zero), the partials added to `acc` in chunk
 * order: the order of the SIMD `channelMomentChunks` and {@link addChunkPartials}.
 */
export function channelMomentSums(
  x: Float32Array,
  shift: Float32Array,
  acc: Float64Array,
  rows: number,
  period: number,
): void {
  chunkedTileSums(rows, period, acc, (r0, r1, partial) => {
    for (let k = 0; k < period; k++) {
      const shiftK = shift[k];
      let s = 0;
      let q = 0;
      for (let i = r0 * period + k, end = r1 * period; i < end; i += period) {
        const d = x[i] - shiftK;
        s += d;
        q += d * d;
      }
      partial[k] += s;
      partial[period + k] += q;
    }
  });
}

/**
 * `acc[k] += Σ_r dy[r, k]` and `acc[L + k] += Σ_r dy[r, k]·(x[r, k] − mean[k])`, float64,
 * chunked, tiled and ordered as {@link channelMomentSums}.
 */
export function channelGradientSums(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  acc: Float64Array,
  rows: number,
  period: number,
): void {
  chunkedTileSums(rows, period, acc, (r0, r1, partial) => {
    for (let k = 0; k < period; k++) {
      const meanK = mean[k];
      let s = 0;
      let p = 0;
      for (let i = r0 * period + k, end = r1 * period; i < end; i += period) {
        const g = dy[i];
        s += g;
        p += g * (x[i] - meanK);
      }
      partial[k] += s;
      partial[period + k] += p;
    }
  });
}

/**
 * Both sums of a sum pass per channel, from the lanes of `acc` (`[2L]`, lanes
 * `c, c + C, …` in that order) and then the pass run over the last `n mod L`
 * floats with period `C` (`tail`, `[2C]`).
 */
export function foldLanes(
  acc: Float64Array,
  tail: Float64Array,
  period: number,
  channels: number,
): [Float64Array, Float64Array] {
  const first = new Float64Array(channels);
  const second = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = 0;
    let q = 0;
    for (let k = c; k < period; k += channels) {
      s += acc[k];
      q += acc[period + k];
    }
    first[c] = s + tail[c];
    second[c] = q + tail[channels + c];
  }
  return [first, second];
}

/**
 * Runs a sum pass over all of `n` floats: the first `⌊n / L⌋` rows of `L` by
 * `bulk` (the SIMD export or its JavaScript twin), the rest (whole channel
 * rows) in JavaScript with period `C`, folded per channel.
 */
export function perChannelSums(
  n: number,
  channels: number,
  bulk: (acc: Float64Array, rows: number, period: number) => void,
  tail: (acc: Float64Array, start: number, rows: number) => void,
  acc: Float64Array = new Float64Array(2 * channelPeriod(channels)),
): [Float64Array, Float64Array] {
  const period = channelPeriod(channels);
  const rows = Math.floor(n / period);
  bulk(acc, rows, period);
  const tailAcc = new Float64Array(2 * channels);
  tail(tailAcc, rows * period, (n - rows * period) / channels);
  return foldLanes(acc, tailAcc, period, channels);
}

/**
 * Batch mean and biased variance per channel from the shifted sums `S`, `Q`
 * over `count` samples: `mean = shift + S/M`, `variance = max(Q/M − (S/M)², 0)`
 * in float64, stored to float32 (NaN stays NaN).
 */
export function batchMoments(
  sums: Float64Array,
  squares: Float64Array,
  shift: Float32Array,
  count: number,
  mean: Float32Array,
  variance: Float32Array,
): void {
  for (let c = 0; c < sums.length; c++) {
    const d = sums[c] / count;
    const v = squares[c] / count - d * d;
    mean[c] = shift[c] + d;
    variance[c] = Math.max(v, 0);
  }
}

/** `γ / √(variance + ε)` per channel, in float64, stored to float32. */
export function normalizeFactors(
  variance: Float32Array,
  scale: Float32Array,
  epsilon: number,
): Float32Array {
  const factor = new Float32Array(variance.length);
  for (let c = 0; c < variance.length; c++) factor[c] = scale[c] / Math.sqrt(variance[c] + epsilon);
  return factor;
}

/**
 * `out[k] = (x[k] − mean[j])·factor[j] + offset[j]`, `j = k mod period`, each
 * operation rounded to float32 as the SIMD pass does it.
 */
export function channelNormalize(
  x: Float32Array,
  mean: Float32Array,
  factor: Float32Array,
  offset: Float32Array,
  out: Float32Array,
  period: number,
): void {
  for (let at = 0; at < x.length; at += period) {
    const end = Math.min(period, x.length - at);
    for (let j = 0; j < end; j++) {
      out[at + j] = f32(f32(f32(x[at + j] - mean[j]) * factor[j]) + offset[j]);
    }
  }
}

/** The per-channel coefficients of the input gradient and the parameter gradients. */
export interface GradientCoefficients {
  /** `γ·s` with `s = 1/√(σ² + ε)`. */
  dyFactor: Float32Array;
  /** `−γ·s³·Σdy·(x − μ)/M + 2·∂L/∂σ²/M`. */
  xFactor: Float32Array;
  /** `−γ·s·Σdy/M + ∂L/∂μ/M`. */
  shift: Float32Array;
  /** `∂L/∂γ = s·Σdy·(x − μ)`. */
  dScale: Float32Array;
  /** `∂L/∂β = Σdy`. */
  dOffset: Float32Array;
}

/**
 * BatchNorm's backward per channel from the sums of the reduction pass
 * (`Σdy`, `Σdy·(x − μ)`), in float64: `dx = dyFactor·dy + xFactor·(x − μ) + shift`
 * is `γ·s·(dy − mean(dy) − x̂·mean(dy·x̂))` (x̂ = (x − μ)·s) plus the gradients
 * `dMean`, `dVariance` reaching the batch statistics from outside, through
 * `∂μ/∂x = 1/M` and `∂σ²/∂x = 2(x − μ)/M`.
 */
export function gradientCoefficients(
  sumDy: Float64Array,
  sumDyCentered: Float64Array,
  variance: Float32Array,
  scale: Float32Array,
  dMean: Float32Array,
  dVariance: Float32Array,
  epsilon: number,
  count: number,
): GradientCoefficients {
  const channels = sumDy.length;
  const out: GradientCoefficients = {
    dyFactor: new Float32Array(channels),
    xFactor: new Float32Array(channels),
    shift: new Float32Array(channels),
    dScale: new Float32Array(channels),
    dOffset: new Float32Array(channels),
  };
  for (let c = 0; c < channels; c++) {
    const s = 1 / Math.sqrt(variance[c] + epsilon);
    const gs = scale[c] * s;
    out.dyFactor[c] = gs;
    out.xFactor[c] = (-gs * s * s * sumDyCentered[c] + 2 * dVariance[c]) / count;
    out.shift[c] = (-gs * sumDy[c] + dMean[c]) / count;
    out.dScale[c] = sumDyCentered[c] * s;
    out.dOffset[c] = sumDy[c];
  }
  return out;
}

/**
 * `out[k] = (dyFactor[j]·dy[k] + xFactor[j]·(x[k] − mean[j])) + shift[j]`,
 * `j = k mod period`, each operation rounded to float32 as the SIMD pass does it.
 */
export function channelNormalizeGradient(
  dy: Float32Array,
  x: Float32Array,
  dyFactor: Float32Array,
  mean: Float32Array,
  xFactor: Float32Array,
  shift: Float32Array,
  out: Float32Array,
  period: number,
): void {
  for (let at = 0; at < x.length; at += period) {
    const end = Math.min(period, x.length - at);
    for (let j = 0; j < end; j++) {
      const i = at + j;
      const centered = f32(x[i] - mean[j]);
      out[i] = f32(f32(f32(dyFactor[j] * dy[i]) + f32(xFactor[j] * centered)) + shift[j]);
    }
  }
}

/** The per-channel inputs of the forward kernels besides `x`. */
export interface BatchNormTrainingParameters {
  /** γ `[C]`. */
  scale: Float32Array;
  /** β `[C]`. */
  offset: Float32Array;
  epsilon: number;
}

/**
 * Training-mode BatchNorm forward on arrays: batch moments (one shifted pass),
 * then `y = (x − μ)·γ/√(σ² + ε) + β`; writes `y`, `mean`, `variance`.
 */
export function batchNormTrainingOnArrays(
  x: Float32Array,
  params: BatchNormTrainingParameters,
  y: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
): void {
  const channels = mean.length;
  const period = channelPeriod(channels);
  const shift = momentShift(x, channels);
  const shiftPattern = new Float32Array(period);
  repeatPerChannel(shift, shiftPattern);
  const [sums, squares] = perChannelSums(
    x.length,
    channels,
    (acc, rows) => channelMomentSums(x, shiftPattern, acc, rows, period),
    (acc, start, rows) => channelMomentSums(x.subarray(start), shift, acc, rows, channels),
  );
  batchMoments(sums, squares, shift, x.length / channels, mean, variance);
  const factor = normalizeFactors(variance, params.scale, params.epsilon);
  const patterns = [mean, factor, params.offset].map((v) => {
    const p = new Float32Array(period);
    repeatPerChannel(v, p);
    return p;
  });
  channelNormalize(x, patterns[0], patterns[1], patterns[2], y, period);
}

/** The inputs of the backward kernels besides `dy` and `x`. */
export interface BatchNormTrainingGradientInputs {
  /** The forward's batch mean and variance `[C]`. */
  mean: Float32Array;
  variance: Float32Array;
  /** γ `[C]`. */
  scale: Float32Array;
  /** The gradients reaching the forward's mean and variance outputs `[C]` (zeros when unused). */
  dMean: Float32Array;
  dVariance: Float32Array;
  epsilon: number;
}

/**
 * Training-mode BatchNorm backward on arrays: one reduction pass, the
 * per-channel coefficients, one pass for `dx`; returns `dScale`, `dOffset`.
 */
export function batchNormTrainingGradOnArrays(
  dy: Float32Array,
  x: Float32Array,
  inputs: BatchNormTrainingGradientInputs,
  dx: Float32Array,
): { dScale: Float32Array; dOffset: Float32Array } {
  const channels = inputs.mean.length;
  const period = channelPeriod(channels);
  const meanPattern = new Float32Array(period);
  repeatPerChannel(inputs.mean, meanPattern);
  const [sumDy, sumDyCentered] = perChannelSums(
    x.length,
    channels,
    (acc, rows) => channelGradientSums(dy, x, meanPattern, acc, rows, period),
    (acc, start, rows) =>
      channelGradientSums(dy.subarray(start), x.subarray(start), inputs.mean, acc, rows, channels),
  );
  const k = gradientCoefficients(
    sumDy,
    sumDyCentered,
    inputs.variance,
    inputs.scale,
    inputs.dMean,
    inputs.dVariance,
    inputs.epsilon,
    x.length / channels,
  );
  const [a, b, c] = [k.dyFactor, k.xFactor, k.shift].map((v) => {
    const p = new Float32Array(period);
    repeatPerChannel(v, p);
    return p;
  });
  channelNormalizeGradient(dy, x, a, meanPattern, b, c, dx, period);
  return { dScale: k.dScale, dOffset: k.dOffset };
}
