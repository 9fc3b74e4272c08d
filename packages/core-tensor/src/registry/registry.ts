import {
  DuplicatePluginError,
  InvalidOptionError,
  UnknownPluginError,
} from '../errors/trustgrad-error';
import { closestName } from '../options/resolve-options';

/** Anything a registry can hold: a plain object with a unique `name`. */
export interface Named {
  readonly name: string;
}

/** Options of {@link Registry.register}. */
export interface RegisterOptions {
  /** Replace an entry of the same name instead of failing. Default false. */
  replace?: boolean;
}

/** How the keys of a registry are spelt: `camelCase` (metrics: they are JSON field names) or `kebab-case`. */
export type KeyStyle = 'camelCase' | 'kebab-case';

const KEY_PATTERNS: Record<KeyStyle, RegExp> = {
  camelCase: /^[a-z][a-zA-Z0-9]*$/,
  'kebab-case': /^[a-z0-9]+(-[a-z0-9]+)*$/,
};

/** Options of a {@link Registry}. */
export interface RegistryOptions {
  /** Key style every registered name must follow; unset accepts any non-empty name. */
  keyStyle?: KeyStyle;
}

/**
 * A typed registry of plugins keyed by name. Built-ins register through the
 * same `register` a user calls, so both are looked up the same way.
 *
 * @example
 * const attacks = new Registry<Attack>('attack');
 * attacks.register(fgsm);
 * attacks.get('fgsm'); // the plugin
 * attacks.get('fgsn'); // UnknownPluginError: unknown attack "fgsn"; known attacks: fgsm
 */
export class Registry<T extends Named> {
  private readonly entries = new Map<string, T>();

  /** @param kind what the entries are, used in error messages ("attack", "metric"). */
  constructor(
    readonly kind: string,
    readonly options: RegistryOptions = {},
  ) {}

  /** Whether `name` follows this registry's key style (always true without one). */
  isValidKey(name: string): boolean {
    const style = this.options.keyStyle;
    return style === undefined || KEY_PATTERNS[style].test(name);
  }

  /** Adds `plugin`; fails on a duplicate name unless `replace` is set. Returns the plugin. */
  register(plugin: T, options: RegisterOptions = {}): T {
    if (!plugin || typeof plugin.name !== 'string' || plugin.name.length === 0) {
      throw new InvalidOptionError(
        `cannot register a ${this.kind} without a non-empty string "name" property`,
      );
    }
    if (!this.isValidKey(plugin.name)) {
      throw new InvalidOptionError(
        `cannot register ${this.kind} "${plugin.name}": ${this.kind} names are ${this.options.keyStyle} ` +
          `(e.g. ${this.options.keyStyle === 'camelCase' ? '"cleanAcc"' : '"pgd-linf"'})`,
      );
    }
    if (this.entries.has(plugin.name) && !options.replace) {
      throw new DuplicatePluginError(
        `a ${this.kind} named "${plugin.name}" is already registered; ` +
          `pass { replace: true } to replace it or choose another name`,
      );
    }
    this.entries.set(plugin.name, plugin);
    return plugin;
  }

  /** The plugin called `name`; fails listing the known names when there is none. */
  get(name: string): T {
    const plugin = this.entries.get(name);
    if (plugin === undefined) {
      const known = this.names();
      const close = closestName(String(name), known);
      throw new UnknownPluginError(
        `unknown ${this.kind} "${name}"; known ${this.kind}s: ${known.length ? known.join(', ') : '(none registered)'}` +
          (close ? ` (did you mean "${close}"?)` : ''),
      );
    }
    return plugin;
  }

  /** Whether a plugin called `name` is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Removes the plugin called `name`; returns whether one was there. */
  unregister(name: string): boolean {
    return this.entries.delete(name);
  }

  /** Names of all registered plugins, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** All registered plugins, sorted by name. */
  list(): T[] {
    return this.names().map((name) => this.entries.get(name)!);
  }
}

/** Options of every `defineX`: register the made plugin (default) or only make it. */
export interface DefineOptions extends RegisterOptions {
  /** Register in the kind's registry. Default true; `false` only makes the plugin object. */
  register?: boolean;
}

/**
 * The registry of plugin kind `kind`, one per process: it lives on `globalThis`
 * under `Symbol.for('trustgrad.registry.<kind>')`, so two copies of a package
 * (its ESM and CJS builds, or two installed versions) share one registry and a
 * plugin registered through one is found through the other.
 *
 * @param kind the registry key (`'attribution'`, `'metric'`, `'attack'`, ...)
 * @param label what entries are called in messages (default `kind`)
 * @example const attackRegistry = sharedRegistry<Attack>('attack', { keyStyle: 'kebab-case' });
 */
export function sharedRegistry<T extends Named>(
  kind: string,
  options: RegistryOptions & { label?: string } = {},
): Registry<T> {
  const key = Symbol.for(`trustgrad.registry.${kind}`);
  const store = globalThis as unknown as Record<symbol, Registry<T> | undefined>;
  let registry = store[key];
  if (registry === undefined) {
    registry = new Registry<T>(options.label ?? kind, { keyStyle: options.keyStyle });
    store[key] = registry;
  }
  return registry;
}

/**
 * What every `defineX` does after building its plugin object: registers it in
 * `registry` unless `options.register` is false, and returns it.
 */
export function registerUnlessTold<T extends Named>(
  registry: Registry<T>,
  plugin: T,
  options: DefineOptions = {},
): T {
  if (options.register !== false) registry.register(plugin, { replace: options.replace });
  return plugin;
}
