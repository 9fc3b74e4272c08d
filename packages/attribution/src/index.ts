/**
 * @packageDocumentation
 * Gradient attributions for any tfjs model — Vanilla Gradient, Gradient×Input,
 * Integrated Gradients, SmoothGrad, SmoothGrad², VarGrad, Grad-CAM and LSE —
 * behind one `explain(method, model, x, options)` call, `attributionRegistry`
 * (which `defineAttribution` extends), post-processing and PNG heatmaps.
 */
export {
  type BaselineOptions,
  type BaselineSpec,
  gaussianBlur,
  makeBaseline,
} from './baselines/baseline';
export {
  type AttributionInfo,
  type AttributionMethod,
  type AttributionResult,
  type CommonExplainOptions,
  defineAttribution,
  type ExplainOptions,
} from './core/attribution-method';
export { type AnyAttributionMethod, attributionRegistry } from './core/attribution-registry';
export { COMMON_DEFAULTS, explain, explainWithInfo } from './core/explain';
export type { ExplainContext, ValueAndGradient } from './core/explain-context';
export {
  INTEGRATION_RULES,
  type IntegrationRule,
  type QuadratureNodes,
  quadratureNodes,
} from './integration/integration-rules';
export { convLayers, findLayer, lastConvLayer } from './layers/find-layer';
export { withLayerOutput } from './layers/override-layer-output';
export { builtInAttributions } from './methods/built-in-methods';
export { type GradCamOptions, gradCam } from './methods/grad-cam';
export { gradientTimesInput } from './methods/gradient-x-input';
export {
  type IntegratedGradientsInfo,
  type IntegratedGradientsOptions,
  integratedGradients,
} from './methods/integrated-gradients';
export {
  type LocallySmoothExplanationOptions,
  locallySmoothExplanation,
} from './methods/locally-smooth-explanation';
export { smoothGrad } from './methods/smoothgrad';
export { smoothGradSquared } from './methods/smoothgrad-squared';
export { vanillaGradient } from './methods/vanilla-gradient';
export { varGrad } from './methods/vargrad';
export {
  isLayersModel,
  type LogitsFunction,
  type ModelLike,
  toLogitsFunction,
} from './model/model-like';
export { type OutputKind, type TargetSpec, targetQuantity } from './model/target-quantity';
export {
  defineNoisyGradientMethod,
  type NoisyGradientMethodSpec,
} from './noise/define-noisy-gradient-method';
export {
  type GradientMoments,
  type NoiseOptions,
  noiseSigma,
  noisyCopies,
  noisyGradientMoments,
} from './noise/noisy-gradients';
export { absolute } from './postprocess/absolute';
export {
  type ClipPercentileOptions,
  clipPercentile,
  percentile,
} from './postprocess/clip-percentile';
export { type Normalization, normalize } from './postprocess/normalize';
export { type ChannelReduction, reduceChannels } from './postprocess/reduce-channels';
export { type ColormapName, colormap, isDiverging } from './render/colormaps';
export { type GridOptions, renderGrid } from './render/render-grid';
export {
  encodePng,
  type HeatmapOptions,
  heatmapRgb,
  type RgbImage,
  renderHeatmap,
} from './render/render-heatmap';
