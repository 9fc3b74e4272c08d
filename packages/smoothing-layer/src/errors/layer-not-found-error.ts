/**
 * `insertSmoothing` was asked to insert after a layer the model does not have:
 * core-tensor's `LayerNotFoundError`, the one class every layer lookup throws.
 */
export { LayerNotFoundError } from '@trustgrad/core-tensor';
