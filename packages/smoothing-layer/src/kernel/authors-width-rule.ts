/**
 * The σ the FMS authors' code (dipkamal/robustness_plus_smoothing,
 * `filter_denoising_block`) gives its 3×3 Gaussian: OpenCV's rule for the σ of
 * a kernel of size `k`, `σ = 0.3·((k − 1)·0.5 − 1) + 0.8`, fed the feature
 * map's width `W` instead of the kernel size:
 *
 * `σ = 0.3·((W − 1)·0.5 − 1) + 0.8`
 *
 * so it grows with the map (2.15 for a 12×12 map, 5.15 for 32×32) and a 3×3
 * kernel with it is nearly a box. Named after them because it is theirs, not
 * a rule from the paper's text (SPEC 2.1).
 *
 * @param width the feature map's width in pixels (≥ 1)
 * @example
 * authorsWidthRuleSigma(12); // 2.15
 */
export function authorsWidthRuleSigma(width: number): number {
  return 0.3 * ((width - 1) * 0.5 - 1) + 0.8;
}
