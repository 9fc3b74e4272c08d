/**
 * @packageDocumentation
 * Gradient attributions for any tfjs model — Vanilla Gradient, Gradient×Input,
 * Integrated Gradients, SmoothGrad, SmoothGrad², VarGrad, Grad-CAM and LSE —
 * behind one `explain(method, model, x, options)` call, a registry users extend
 * with `defineAttribution`, post-processing and PNG heatmaps.
 */
import { registerBuiltInAttributions } from './methods/built-in-methods';

export {
  defineAttribution,
  type AttributionInfo,
  type AttributionMethod,
  type AttributionResult,
  type CommonExplainOptions,
  type ExplainOptions,
} from './core/attribution-method';
export {
  attributionMethods,
  getAttribution,
  listAttributions,
  registerAttribution,
  type AnyAttributionMethod,
} from './core/attribution-registry';
export { COMMON_DEFAULTS, explain, explainWithInfo } from './core/explain';
export type { ExplainContext, ValueAndGradient } from './core/explain-context';
export { isLayersModel, toLogitsFunction, type LogitsFunction, type ModelLike } from './model/model-like';
export { targetQuantity, type OutputKind, type TargetSpec } from './model/target-quantity';
export {
  INTEGRATION_RULES,
  quadratureNodes,
  type IntegrationRule,
  type QuadratureNodes,
} from './integration/integration-rules';
export { gaussianBlur, makeBaseline, type BaselineOptions, type BaselineSpec } from './baselines/baseline';
export { noiseSigma, noisyCopies, noisyGradientMoments, type GradientMoments, type NoiseOptions } from './noise/noisy-gradients';
export { convLayers, findLayer, lastConvLayer } from './layers/find-layer';
export { withLayerOutput } from './layers/override-layer-output';
export { builtInAttributions } from './methods/built-in-methods';
export { vanillaGradient } from './methods/vanilla-gradient';
export { gradientTimesInput } from './methods/gradient-x-input';
export {
  integratedGradients,
  type IntegratedGradientsInfo,
  type IntegratedGradientsOptions,
} from './methods/integrated-gradients';
export { smoothGrad } from './methods/smoothgrad';
export { smoothGradSquared } from './methods/smoothgrad-squared';
export { varGrad } from './methods/vargrad';
export { gradCam, type GradCamOptions } from './methods/grad-cam';
export {
  locallySmoothExplanation,
  type LocallySmoothExplanationOptions,
} from './methods/locally-smooth-explanation';
export { absolute } from './postprocess/absolute';
export { reduceChannels, type ChannelReduction } from './postprocess/reduce-channels';
export { normalize, type Normalization } from './postprocess/normalize';
export { clipPercentile, percentile, type ClipPercentileOptions } from './postprocess/clip-percentile';
export { colormap, isDiverging, type ColormapName } from './render/colormaps';
export { encodePng, heatmapRgb, renderHeatmap, type HeatmapOptions, type RgbImage } from './render/render-heatmap';
export { renderGrid, type GridOptions } from './render/render-grid';

registerBuiltInAttributions();
