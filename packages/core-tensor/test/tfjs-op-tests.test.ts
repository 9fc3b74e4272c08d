import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain Node script without type declarations
import { runTfjsOpTests } from '../scripts/tfjs-op-tests.mjs';

interface OpTestReport {
  total: number;
  vanilla: { passed: string[]; failed: Array<{ name: string; message: string }> };
  trustgrad: { passed: string[]; failed: Array<{ name: string; message: string }> };
  gained: string[];
  lost: Array<{ name: string; message: string }>;
}

/**
 * Tests of tfjs's own suite that fail on vanilla wasm and pass with
 * trustgrad's kernels (gradients wasm lacks: Conv2DBackpropFilter, the
 * depthwise backprops) when this was recorded; fewer means a kernel broke.
 */
const RECORDED_GAIN = 23;

describe("tfjs-core's own op tests on the wasm backend", () => {
  it('pass with trustgrad’s kernels wherever they pass on vanilla wasm (and more)', async () => {
    const report = (await runTfjsOpTests()) as OpTestReport;
    console.log(
      `[tfjs op tests] vanilla ${report.vanilla.passed.length}/${report.total}, ` +
        `trustgrad ${report.trustgrad.passed.length}/${report.total}, ${report.gained.length} gained`,
    );
    // Both runs saw the same suite, and it is the suite chosen (not an empty bundle).
    expect(report.total).toBeGreaterThan(400);
    expect(report.trustgrad.passed.length + report.trustgrad.failed.length).toBe(report.total);
    expect(report.lost).toEqual([]);
    expect(report.gained.length).toBeGreaterThanOrEqual(RECORDED_GAIN);
    expect(report.trustgrad.passed).toContain(
      'conv2dTranspose wasm {} input=8x8x8,output=4x4x8,f=8,s=1,inDepth=8,p=same vec4',
    );
    expect(report.trustgrad.passed).toContain('sign wasm {} basic');
  });
});
