// The same through require(): index.d.cts under node16.
import smoothing = require('@trustgrad/smoothing-layer');
import core = require('@trustgrad/core-tensor');

const layer = new smoothing.GaussianSmoothing({ sigma: 1, name: 'smooth' });
export const used = [layer, core.fmnistCnn({ seed: 0 })];
