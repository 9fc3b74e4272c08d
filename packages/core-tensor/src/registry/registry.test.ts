import { describe, expect, it } from 'vitest';
import { DuplicatePluginError, UnknownPluginError } from '../errors/trustgrad-error';
import { Registry } from './registry';

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
