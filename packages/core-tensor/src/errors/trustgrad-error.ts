/**
 * Base class of every error trustgrad throws on purpose. The message always
 * says what was wrong, what was expected and how to fix it.
 */
export class TrustgradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor or array had the wrong rank, size or dtype. */
export class ShapeError extends TrustgradError {}

/** A plugin name was looked up that no registry entry has. */
export class UnknownPluginError extends TrustgradError {}

/** A plugin was registered twice under one name without `replace: true`. */
export class DuplicatePluginError extends TrustgradError {}

/** A requested tfjs backend is not installed or failed to start. */
export class BackendUnavailableError extends TrustgradError {}

/** An option had a value outside what the function accepts. */
export class InvalidOptionError extends TrustgradError {}

/**
 * An optional npm dependency a feature needs (e.g. sharp for PNG and JPEG)
 * is not installed or its native binary does not load on this platform.
 */
export class MissingDependencyError extends TrustgradError {}

/**
 * An input tensor holds NaN or ±Infinity where a finite value is needed
 * (images given to `explain`, a metric or the trainer). Computing on it would
 * return NaN maps or train at a constant loss without saying so.
 */
export class NonFiniteInputError extends TrustgradError {}

/**
 * A value a computation produced (a metric's per-sample value, a loss) is NaN
 * or ±Infinity: a bug in the plugin or an overflow in the model, not a bad option.
 */
export class NonFiniteValueError extends TrustgradError {}

/** A batch with zero samples was given where at least one is needed. */
export class EmptyBatchError extends TrustgradError {}

/** Class labels lie outside the model's classes `0..numClasses-1` (or are not integers). */
export class LabelRangeError extends TrustgradError {}

/** A layer was looked up by a name (or index) the model does not have. */
export class LayerNotFoundError extends TrustgradError {}
