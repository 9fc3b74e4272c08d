/**
 * @packageDocumentation
 * The trustgrad experiment runner as a library: load and validate a config,
 * run it, and read the results contract. Plugins register through their own
 * packages' `defineX` (`defineModel` in `@trustgrad/core-tensor`,
 * `defineMetric` in `@trustgrad/metrics`, ...), not through the bench.
 */
export { ConfigError, loadConfig, validateConfig } from './config/load-config';
export type { ExperimentConfig, ExperimentConfigInput } from './config/schema';
export { TINY_MODELS, type TinyOverridesOptions, tinyOverrides } from './config/tiny-overrides';
export type { ResultRow, Results } from './results/results-types';
export { runExperiment } from './run/run-experiment';
export { type ServedResults, type ServeOptions, serveResults } from './serve/serve-results';
export {
  type AnalyseOptions,
  analyseStudy,
  type StudyAnalysis,
  studyMarkdown,
  studyPlotSvg,
  type VariantScore,
} from './study/analyse-study';
export { readStudyAnswers, type StudyAnswer, StudyAnswersError } from './study/study-answers';
export { writeStudyAnalysis } from './study/write-study-analysis';
