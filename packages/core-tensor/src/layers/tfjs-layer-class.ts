import * as tf from '@tensorflow/tfjs-core';
// Evaluated first for its side effect: it registers the layer classes trustgrad extends.
import '@tensorflow/tfjs-layers';
import { MissingDependencyError } from '../errors/trustgrad-error';

/**
 * tfjs-layers' own class registered for deserialization under `className`
 * (`'BatchNormalization'`, `'Conv2D'`), skipping trustgrad's subclasses: each
 * of them registers itself under tfjs's name and carries the static `marker`,
 * so a second copy of trustgrad's module (two bundles in one process) extends
 * tfjs's class, not the first copy's.
 */
export function tfjsLayerClass<T>(className: string, marker: string): T {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) {
    throw new MissingDependencyError(
      `tfjs-layers registered no ${className} class with this copy of tfjs-core; trustgrad needs @tensorflow/tfjs-layers ^4.21.0 and tfjs-core resolved to one copy (check for duplicate installs)`,
    );
  }
  let cls = entry[0] as unknown as Record<string, unknown>;
  while (cls[marker]) cls = Object.getPrototypeOf(cls);
  return cls as unknown as T;
}
