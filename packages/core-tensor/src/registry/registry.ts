import { DuplicatePluginError, UnknownPluginError } from '../errors/trustgrad-error';

/** Anything a registry can hold: a plain object with a unique `name`. */
export interface Named {
  readonly name: string;
}

/** Options of {@link Registry.register}. */
export interface RegisterOptions {
  /** Replace an entry of the same name instead of failing. Default false. */
  replace?: boolean;
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
  constructor(readonly kind: string) {}

  /** Adds `plugin`; fails on a duplicate name unless `replace` is set. Returns the plugin. */
  register(plugin: T, options: RegisterOptions = {}): T {
    if (!plugin || typeof plugin.name !== 'string' || plugin.name.length === 0) {
      throw new UnknownPluginError(
        `cannot register a ${this.kind} without a non-empty string "name" property`,
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
      throw new UnknownPluginError(
        `unknown ${this.kind} "${name}"; known ${this.kind}s: ${known.length ? known.join(', ') : '(none registered)'}`,
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
