/**
 * @packageDocumentation
 * The trustgrad experiment runner. Plugin modules import from here to add a
 * model the bench builds by name.
 */
export { defineModel, type ModelPlugin, modelRegistry } from './models/model-registry';
