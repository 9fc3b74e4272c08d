import { describe, expect, it } from 'vitest';
import { DuplicatePluginError, UnknownPluginError } from '../errors/trustgrad-error';
import { Registry, registerUnlessTold, sharedRegistry } from './registry';

interface Greeter {
  name: string;
  greet: () => string;
}

describe('Registry', () => {
  it('registers, gets and lists plugins sorted by name', () => {
    const registry = new Registry<Greeter>('greeter');
    registry.register({ name: 'b', greet: () => 'B' });
    registry.register({ name: 'a', greet: () => 'A' });
    expect(registry.get('a').greet()).toBe('A');
    expect(registry.names()).toEqual(['a', 'b']);
    expect(registry.list().map((g) => g.greet())).toEqual(['A', 'B']);
    expect(registry.has('b')).toBe(true);
    expect(registry.unregister('b')).toBe(true);
    expect(registry.has('b')).toBe(false);
  });

  it('an unknown name fails listing the known ones', () => {
    const registry = new Registry<Greeter>('attack');
    registry.register({ name: 'fgsm', greet: () => '' });
    registry.register({ name: 'pgd', greet: () => '' });
    expect(() => registry.get('pgdd')).toThrow(UnknownPluginError);
    expect(() => registry.get('pgdd')).toThrow('unknown attack "pgdd"; known attacks: fgsm, pgd');
  });

  it('a duplicate name fails unless replace is asked for', () => {
    const registry = new Registry<Greeter>('metric');
    registry.register({ name: 'gini', greet: () => 'old' });
    expect(() => registry.register({ name: 'gini', greet: () => 'new' })).toThrow(
      DuplicatePluginError,
    );
    expect(registry.get('gini').greet()).toBe('old');
    registry.register({ name: 'gini', greet: () => 'new' }, { replace: true });
    expect(registry.get('gini').greet()).toBe('new');
  });

  it('rejects a plugin without a name', () => {
    const registry = new Registry<Greeter>('metric');
    expect(() => registry.register({ name: '', greet: () => '' })).toThrow(
      /non-empty string "name"/,
    );
  });
});

describe('key styles, did-you-mean and shared registries', () => {
  it('a registry with a key style rejects names that do not follow it', () => {
    const kebab = new Registry<Greeter>('attack', { keyStyle: 'kebab-case' });
    kebab.register({ name: 'pgd-linf', greet: () => '' });
    expect(() => kebab.register({ name: 'pgdLinf', greet: () => '' })).toThrow(
      /attack names are kebab-case/,
    );
    const camel = new Registry<Greeter>('metric', { keyStyle: 'camelCase' });
    camel.register({ name: 'cleanAcc', greet: () => '' });
    expect(() => camel.register({ name: 'clean-acc', greet: () => '' })).toThrow(
      /metric names are camelCase/,
    );
  });

  it('an unknown name close to a known one suggests it', () => {
    const registry = new Registry<Greeter>('objective');
    registry.register({ name: 'trades', greet: () => '' });
    expect(() => registry.get('trade')).toThrow(
      /known objectives: trades \(did you mean "trades"\?\)/,
    );
  });

  it('sharedRegistry returns one registry per kind across calls (as two package copies would)', () => {
    const a = sharedRegistry<Greeter>('test-kind', { keyStyle: 'kebab-case' });
    const b = sharedRegistry<Greeter>('test-kind');
    expect(a).toBe(b);
    expect(
      (globalThis as Record<symbol, unknown>)[Symbol.for('trustgrad.registry.test-kind')],
    ).toBe(a);
    const plugin = registerUnlessTold(a, { name: 'x', greet: () => '' });
    expect(b.get('x')).toBe(plugin);
    registerUnlessTold(a, { name: 'y', greet: () => '' }, { register: false });
    expect(b.has('y')).toBe(false);
    a.unregister('x');
  });
});
