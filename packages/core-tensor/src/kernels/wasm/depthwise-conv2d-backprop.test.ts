import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/init-backend';
import { SeededRandom } from '../../random/seeded-random';
import {
  type HostTensor,
  randomHost,
  randomPad,
  relativeError,
  runKernelOn,
  usableGeometry,
} from './testing/compare-with-cpu';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

interface DepthwiseCase {
  inputShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: ReturnType<typeof randomPad>;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  info: backend_util.Conv2DInfo;
}

/** Random depthwise geometries; dilation > 1 only with stride 1, as tfjs's own ops require. */
function* depthwiseCases(rng: SeededRandom, count: number): Generator<DepthwiseCase> {
  let made = 0;
  while (made < count) {
    const inputShape: [number, number, number, number] = [
      1 + rng.int(3),
      3 + rng.int(9),
      3 + rng.int(9),
      1 + rng.int(4),
    ];
    const filterShape: [number, number, number, number] = [
      1 + rng.int(4),
      1 + rng.int(4),
      inputShape[3],
      1 + rng.int(3),
    ];
    const dilated = rng.int(3) === 0;
    const strides: [number, number] = dilated ? [1, 1] : [1 + rng.int(3), 1 + rng.int(3)];
    const dilations: [number, number] = dilated ? [1 + rng.int(3), 1 + rng.int(3)] : [1, 1];
    const pad = randomPad(rng, 3);
    const dimRoundingMode =
      typeof pad === 'number' ? (['floor', 'round', 'ceil'] as const)[rng.int(3)] : undefined;
    const info = usableGeometry(() =>
      backend_util.computeConv2DInfo(
        inputShape,
        filterShape,
        strides,
        dilations,
        pad,
        dimRoundingMode,
        true,
      ),
    );
    if (!info) continue;
    made++;
    yield { inputShape, filterShape, strides, dilations, pad, dimRoundingMode, info };
  }
}

/**
 * The `[fh, fw, c, m]` filter with `d − 1` zero taps between its taps: a
 * dilated filter as an undilated one. tfjs's cpu depthwise gradient kernels
 * ignore `dilations`, so the reference for dilated cases runs them on this.
 */
function spreadFilter(filter: HostTensor, [dh, dw]: [number, number]): HostTensor {
  const [fh, fw, c, m] = filter.shape;
  const [eh, ew] = [(fh - 1) * dh + 1, (fw - 1) * dw + 1];
  const values = new Float32Array(eh * ew * c * m);
  for (let a = 0; a < fh; a++)
    for (let b = 0; b < fw; b++)
      for (let k = 0; k < c * m; k++)
        values[(a * dh * ew + b * dw) * c * m + k] = filter.values[(a * fw + b) * c * m + k];
  return { shape: [eh, ew, c, m], values };
}

function takeDilatedTaps(
  spread: HostTensor,
  [fh, fw, c, m]: number[],
  [dh, dw]: [number, number],
): HostTensor {
  const ew = spread.shape[1];
  const values = new Float32Array(fh * fw * c * m);
  for (let a = 0; a < fh; a++)
    for (let b = 0; b < fw; b++)
      for (let k = 0; k < c * m; k++)
        values[(a * fw + b) * c * m + k] = spread.values[(a * dh * ew + b * dw) * c * m + k];
  return { shape: [fh, fw, c, m], values };
}

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  it('is registered (tfjs-backend-wasm ships none)', () => {
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'wasm')).toBeDefined();
  });

  it('matches the cpu kernel on random shapes, multipliers, strides, dilations and paddings', async () => {
    const rng = new SeededRandom(21);
    for (const c of depthwiseCases(rng, 40)) {
      const dy = randomHost(rng, c.info.outShape);
      const filter = randomHost(rng, c.filterShape);
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dimRoundingMode: c.dimRoundingMode,
        inputShape: c.inputShape,
      };
      const expected = await runKernelOn(
        'cpu',
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter: spreadFilter(filter, c.dilations) },
        { ...attrs, dilations: 1 } as never,
      );
      const actual = await runKernelOn(
        'wasm',
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter },
        {
          ...attrs,
          dilations: c.dilations,
        } as never,
      );
      const { info, ...label } = c;
      expect(relativeError(actual, expected), JSON.stringify(label)).toBeLessThan(1e-4);
    }
  });
});

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  it('is registered (tfjs-backend-wasm ships none)', () => {
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeDefined();
  });

  it('matches the cpu kernel on random shapes, multipliers, strides, dilations and paddings', async () => {
    const rng = new SeededRandom(22);
    for (const c of depthwiseCases(rng, 40)) {
      const x = randomHost(rng, c.inputShape);
      const dy = randomHost(rng, c.info.outShape);
      const attrs = { strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode };
      const spreadShape = spreadFilter(randomHost(rng, c.filterShape), c.dilations).shape;
      const spreadGradient = await runKernelOn(
        'cpu',
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        {
          ...attrs,
          dilations: 1,
          filterShape: spreadShape,
        } as never,
      );
      const expected = takeDilatedTaps(spreadGradient, c.filterShape, c.dilations);
      const actual = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
        ...attrs,
        dilations: c.dilations,
        filterShape: c.filterShape,
      } as never);
      const { info, ...label } = c;
      expect(relativeError(actual, expected), JSON.stringify(label)).toBeLessThan(1e-4);
    }
  });
});
