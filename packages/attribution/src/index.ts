/**
 * @packageDocumentation
 * Attributions for any tfjs model — gradient methods (Vanilla Gradient,
 * Gradient×Input, Integrated Gradients, SmoothGrad, SmoothGrad², VarGrad,
 * GradientSHAP, a noise tunnel around any method, Grad-CAM, Guided
 * Backpropagation, Deconvolution, Guided Grad-CAM, LSE), perturbation methods
 * (Occlusion, Feature Ablation), propagation methods (DeepLIFT, LRP) — behind
 * one `explain(method, model, x, options)` call and `attributionRegistry`
 * (which `defineAttribution` extends); layer methods (layer gradient, layer
 * IG) behind `explainLayer`; post-processing and PNG heatmaps.
 */
export {
  type BaselineOptions,
  type BaselineSpec,
  gaussianBlur,
  makeBaseline,
  REPLACEMENT_BASELINE_DEFAULTS,
  type ReplacementBaselineOptions,
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
export { explainLayer } from './layer-attribution/explain-layer';
export {
  type AnyLayerAttributionMethod,
  defineLayerAttribution,
  type LayerAttributionMethod,
  type LayerOptions,
  layerAttributionRegistry,
} from './layer-attribution/layer-attribution-method';
export { layerGradient, layerGradientXActivation } from './layer-attribution/layer-gradient';
export {
  chunkedActivations,
  layerActivations,
  layerValueAndGradient,
  resolveLayer,
} from './layer-attribution/layer-gradients';
export {
  type LayerIntegratedGradientsInfo,
  type LayerIntegratedGradientsOptions,
  layerIntegratedGradients,
} from './layer-attribution/layer-integrated-gradients';
export { convLayers, findLayer, lastConvLayer } from './layers/find-layer';
export { type LayerCall, replaceLayerCall } from './layers/override-layer-call';
export { withLayerOutput } from './layers/override-layer-output';
export { type ReluReplacement, withReluOverride } from './layers/override-relu';
export { builtInAttributions } from './methods/built-in-methods';
export {
  DEEPLIFT_LAYERS,
  type DeepLiftInfo,
  type DeepLiftOptions,
  deepLift,
  deepLiftMultipliers,
} from './methods/deeplift';
export {
  type DeepLiftShapInfo,
  type DeepLiftShapOptions,
  deepLiftShap,
} from './methods/deeplift-shap';
export { type FeatureAblationOptions, featureAblation, groupIds } from './methods/feature-ablation';
export { type GradCamOptions, gradCam, gradCamLayer, layerGradCam } from './methods/grad-cam';
export {
  type GradientShapInfo,
  type GradientShapOptions,
  gradientShap,
} from './methods/gradient-shap';
export { gradientTimesInput } from './methods/gradient-x-input';
export { FEATURE_GROUPING_DEFAULTS, type FeatureGroupingOptions } from './methods/grouping-options';
export { deconvolution, guidedBackprop, modifiedReluGradient } from './methods/guided-backprop';
export { type GuidedGradCamOptions, guidedGradCam } from './methods/guided-grad-cam';
export { deconvolutionRelu, guidedRelu } from './methods/guided-relu';
export {
  type IntegratedGradientsInfo,
  type IntegratedGradientsOptions,
  integratedGradients,
} from './methods/integrated-gradients';
export { type KernelShapOptions, kernelShap } from './methods/kernel-shap';
export {
  type LocallySmoothExplanationOptions,
  locallySmoothExplanation,
} from './methods/locally-smooth-explanation';
export { LRP_LAYERS, type LrpInfo, type LrpOptions, type LrpRule, lrp } from './methods/lrp';
export {
  type NoiseTunnelOptions,
  type NoiseTunnelType,
  noiseTunnel,
} from './methods/noise-tunnel';
export { type OcclusionOptions, occlusion } from './methods/occlusion';
export {
  type ShapleyValueSamplingInfo,
  type ShapleyValueSamplingOptions,
  shapleyValueSampling,
} from './methods/shapley-value-sampling';
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
  noisyMoments,
} from './noise/noisy-gradients';
export { ablationSweep, type MaskChunk } from './perturbation/ablation-sweep';
export { absolute } from './postprocess/absolute';
export {
  type ClipPercentileOptions,
  clipPercentile,
  percentile,
} from './postprocess/clip-percentile';
export { type Normalization, normalize } from './postprocess/normalize';
export { type ChannelReduction, reduceChannels } from './postprocess/reduce-channels';
export { checkLayers, describeLayer } from './propagation/check-layers';
export { UnsupportedLayerError } from './propagation/unsupported-layer-error';
export { type ColormapName, colormap, isDiverging } from './render/colormaps';
export { type GridOptions, renderGrid } from './render/render-grid';
export {
  encodePng,
  type HeatmapOptions,
  heatmapRgb,
  type RgbImage,
  renderHeatmap,
} from './render/render-heatmap';
export { weightedLeastSquares } from './surrogate/least-squares';
