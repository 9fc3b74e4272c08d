/**
 * Base class of every error trustgrad throws on purpose. The message always
 * says what was wrong, what was expected and how to fix it.
 *
 * Every trustgrad error class spells its `name` as a string field: a minifying
 * bundler renames classes, so `new.target.name` would turn `InvalidOptionError`
 * into `Q` in a web page. A user's own subclass without the field still gets
 * its class name from `new.target.name`.
 */
export class TrustgradError extends Error {
  override name = 'TrustgradError';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor or array had the wrong rank, size or dtype. */
export class ShapeError extends TrustgradError {
  override name = 'ShapeError';
}

/** A plugin name was looked up that no registry entry has. */
export class UnknownPluginError extends TrustgradError {
  override name = 'UnknownPluginError';
}

/** A plugin was registered twice under one name without `replace: true`. */
export class DuplicatePluginError extends TrustgradError {
  override name = 'DuplicatePluginError';
}

/** A requested tfjs backend is not installed or failed to start. */
export class BackendUnavailableError extends TrustgradError {
  override name = 'BackendUnavailableError';
}

/** An option had a value outside what the function accepts. */
export class InvalidOptionError extends TrustgradError {
  override name = 'InvalidOptionError';
}

/**
 * An optional npm dependency a feature needs (e.g. sharp for PNG and JPEG)
 * is not installed or its native binary does not load on this platform.
 */
export class MissingDependencyError extends TrustgradError {
  override name = 'MissingDependencyError';
}

/**
 * An input tensor holds NaN or ±Infinity where a finite value is needed
 * (images given to `explain`, a metric or the trainer). Computing on it would
 * return NaN maps or train at a constant loss without saying so.
 */
export class NonFiniteInputError extends TrustgradError {
  override name = 'NonFiniteInputError';
}

/**
 * A value a computation produced (a metric's per-sample value, a loss) is NaN
 * or ±Infinity: a bug in the plugin or an overflow in the model, not a bad option.
 */
export class NonFiniteValueError extends TrustgradError {
  override name = 'NonFiniteValueError';
}

/** A batch with zero samples was given where at least one is needed. */
export class EmptyBatchError extends TrustgradError {
  override name = 'EmptyBatchError';
}

/** Class labels lie outside the model's classes `0..numClasses-1` (or are not integers). */
export class LabelRangeError extends TrustgradError {
  override name = 'LabelRangeError';
}

/** A layer was looked up by a name (or index) the model does not have. */
export class LayerNotFoundError extends TrustgradError {
  override name = 'LayerNotFoundError';
}
