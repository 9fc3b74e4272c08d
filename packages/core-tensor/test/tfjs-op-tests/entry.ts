// The tfjs-core op tests run against the wasm backend, bundled with it and
// core-tensor's kernels so one tfjs-core instance serves all three (the tests
// import tfjs-core by relative path; a second, unbundled copy would have its
// own kernel registry). `scripts/tfjs-op-tests.mjs` builds and runs this.
import './environment';
import '@tensorflow/tfjs-core/dist/ops/conv1d_test';
import '@tensorflow/tfjs-core/dist/ops/conv2d_test';
import '@tensorflow/tfjs-core/dist/ops/conv2d_separable_test';
import '@tensorflow/tfjs-core/dist/ops/conv2d_transpose_test';
import '@tensorflow/tfjs-core/dist/ops/depthwise_conv2d_test';
import '@tensorflow/tfjs-core/dist/ops/mat_mul_test';
import '@tensorflow/tfjs-core/dist/ops/pool_test';
import '@tensorflow/tfjs-core/dist/ops/max_pool_test';
import '@tensorflow/tfjs-core/dist/ops/avg_pool_test';
import '@tensorflow/tfjs-core/dist/ops/sum_test';
import '@tensorflow/tfjs-core/dist/ops/sign_test';
// Kernels trustgrad replaces for speed: Add, Multiply, Sub (per-channel fast
// path), Tile, and the batchNorm gradient that uses them.
import '@tensorflow/tfjs-core/dist/ops/add_test';
import '@tensorflow/tfjs-core/dist/ops/arithmetic_test';
import '@tensorflow/tfjs-core/dist/ops/sub_test';
import '@tensorflow/tfjs-core/dist/ops/tile_test';
import '@tensorflow/tfjs-core/dist/ops/batchnorm_test';
// Mean (leading-axes fast path) and BatchNorm's moments; clone_test cannot run here (duplicate suite names under jasmine 7).
import '@tensorflow/tfjs-core/dist/ops/mean_test';
import '@tensorflow/tfjs-core/dist/ops/moments_test';
import '@tensorflow/tfjs-core/dist/ops/fused/fused_conv2d_test';
import '@tensorflow/tfjs-core/dist/ops/fused/fused_depthwise_conv2d_test';
import '@tensorflow/tfjs-core/dist/ops/fused/fused_mat_mul_test';
