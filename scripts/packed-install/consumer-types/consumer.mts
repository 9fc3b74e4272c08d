// Valid user code that must type-check against the published .d.ts files (ESM side).
import * as tfl from '@tensorflow/tfjs-layers';
import { fmnistCnn, MissingDependencyError, SeededRandom } from '@trustgrad/core-tensor';
import { GaussianSmoothing, insertSmoothing } from '@trustgrad/smoothing-layer';

// tfjs's LayerArgs (`name`) next to the smoothing options: TS2353 when the .d.ts deep-imported tfjs.
const layer: tfl.layers.Layer = new GaussianSmoothing({ sigma: 1, name: 'smooth' });
const model: tfl.LayersModel = insertSmoothing(fmnistCnn({ seed: 0 }), { after: 'conv1', sigma: 1 });
const error: Error = new MissingDependencyError('sharp');
export const used = [layer, model, error, new SeededRandom(0)];
