import type { KernelConfig } from '@tensorflow/tfjs-core';
import { adamUpdateWasmConfig } from './adam-update';
import { bandedSeparableFilterConfig } from './banded-separable-filter';
import { batchMatMulConfig } from './batch-mat-mul';
import { batchNormTrainingWasmConfig } from './batch-norm-training';
import { batchNormTrainingGradWasmConfig } from './batch-norm-training-grad';
import { addConfig, multiplyConfig, subConfig } from './channel-broadcast';
import { conv2dConfig, fusedConv2dConfig } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input';
import { fusedMatMulConfig } from './fused-mat-mul';
import { castConfig, identityConfig } from './identity';
import { maxPoolConfig } from './max-pool';
import { maxPoolGradConfig } from './max-pool-grad';
import { meanConfig } from './mean';
import { momentumUpdateWasmConfig } from './momentum-update';
import { movingAverageUpdateWasmConfig } from './moving-average-update';
import { pgdLinfStepWasmConfig } from './pgd-linf-step';
import { reluConfig } from './relu';
import { reluGradientWasmConfig } from './relu-gradient';
import { signConfig } from './sign';
import {
  softmaxCrossEntropyGradWasmConfig,
  softmaxCrossEntropyWasmConfig,
} from './softmax-cross-entropy';
import { sumConfig } from './sum';
import { tileConfig } from './tile';

/** Every kernel trustgrad registers for the `wasm` backend, one file each beside this one. */
export const wasmTrainingKernels: KernelConfig[] = [
  adamUpdateWasmConfig,
  softmaxCrossEntropyWasmConfig,
  softmaxCrossEntropyGradWasmConfig,
  addConfig,
  multiplyConfig,
  subConfig,
  conv2dConfig,
  fusedConv2dConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  bandedSeparableFilterConfig,
  batchMatMulConfig,
  batchNormTrainingWasmConfig,
  batchNormTrainingGradWasmConfig,
  castConfig,
  fusedMatMulConfig,
  identityConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  meanConfig,
  momentumUpdateWasmConfig,
  movingAverageUpdateWasmConfig,
  pgdLinfStepWasmConfig,
  reluConfig,
  reluGradientWasmConfig,
  signConfig,
  sumConfig,
  tileConfig,
];
