import type * as tfl from '@tensorflow/tfjs-layers';
import { resolveOptions } from '../options/resolve-options';
import { type DefineOptions, registerUnlessTold, sharedRegistry } from '../registry/registry';

/**
 * A model plugin: a plain frozen object naming a model builder, its options
 * with their defaults, and `build(options)` returning a fresh, uncompiled
 * `LayersModel` that outputs logits. The zoo's models are plugins made with
 * {@link defineModel}; the bench builds `config.model.name` through
 * {@link modelRegistry}.
 */
export interface ModelPlugin<O extends object = Record<string, unknown>> {
  /** Registry key, kebab-case (`fmnist-cnn`). */
  readonly name: string;
  /** One line: the architecture and where it comes from. */
  readonly description: string;
  /** Every option with its default; a misspelt option fails instead of being ignored. */
  readonly defaults: Readonly<O>;
  /** Builds the model; options are merged over `defaults` and unknown keys rejected. */
  build(options?: Partial<O>): tfl.LayersModel;
}

/** What a plugin author writes for {@link defineModel}: `build` receives fully resolved options. */
export interface ModelSpec<O extends object> {
  name: string;
  description: string;
  defaults: O;
  build(options: O): tfl.LayersModel;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds models of every option type.
export type AnyModelPlugin = ModelPlugin<any>;

/** Every model plugin, built-in (the zoo) or user-defined, by kebab-case name. */
export const modelRegistry = sharedRegistry<AnyModelPlugin>('model', { keyStyle: 'kebab-case' });

/**
 * Makes a model plugin and registers it in {@link modelRegistry} (unless
 * `{ register: false }`). `build` of the result resolves options with
 * `resolveOptions`, so `build({ widht: 8 })` fails naming `width`.
 *
 * @example
 * const tinyMlp = defineModel({
 *   name: 'tiny-mlp', description: 'flatten → dense(numClasses)',
 *   defaults: { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10, seed: 0 },
 *   build: (o) => tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: o.inputShape }), tfl.layers.dense({ units: o.numClasses })] }),
 * });
 * modelRegistry.get('tiny-mlp').build({ numClasses: 3 });
 */
export function defineModel<O extends object>(
  spec: ModelSpec<O>,
  options: DefineOptions = {},
): ModelPlugin<O> {
  const defaults = Object.freeze({ ...spec.defaults });
  const plugin: ModelPlugin<O> = Object.freeze({
    name: spec.name,
    description: spec.description,
    defaults,
    build: (given?: Partial<O>) =>
      spec.build(resolveOptions(`model "${spec.name}"`, defaults as O, given)),
  });
  return registerUnlessTold(modelRegistry, plugin, options);
}
