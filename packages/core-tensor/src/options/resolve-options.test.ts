import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/trustgrad-error';
import { closestName, resolveOptions } from './resolve-options';

describe('resolveOptions', () => {
  const defaults = Object.freeze({ sigma: 1, padding: 'reflect', kernelSize: undefined });

  it('merges given values over the defaults and ignores undefined', () => {
    expect(resolveOptions('layer', defaults, { sigma: 2, padding: undefined })).toEqual({
      sigma: 2,
      padding: 'reflect',
      kernelSize: undefined,
    });
    expect(resolveOptions('layer', defaults, undefined)).toEqual(defaults);
    expect(resolveOptions('layer', defaults, { kernelSize: 5 }).kernelSize).toBe(5);
  });

  it('rejects an unknown key naming the owner, the known keys and the closest one', () => {
    const call = () => resolveOptions('insertSmoothing()', defaults, { sigm: 2 });
    expect(call).toThrow(InvalidOptionError);
    expect(call).toThrow(
      'insertSmoothing() has no option "sigm" (did you mean "sigma"?); its options are kernelSize, padding, sigma',
    );
    expect(() => resolveOptions('x', defaults, { zzzzzz: 1 })).toThrow(
      'x has no option "zzzzzz"; its options are kernelSize, padding, sigma',
    );
    expect(() => resolveOptions('x', {}, { a: 1 })).toThrow('its options are (none)');
  });

  it('accepts extra keys that have no default', () => {
    expect(resolveOptions('explain()', { steps: 1 }, { target: 3 }, ['target'])).toEqual({
      steps: 1,
      target: 3,
    });
  });
});

describe('closestName', () => {
  it('finds typos (substitution, deletion, swap) but not unrelated names', () => {
    expect(closestName('betta', ['beta', 'eps'])).toBe('beta');
    expect(closestName('limt', ['limit', 'seed'])).toBe('limit');
    expect(closestName('stpes', ['steps', 'eps'])).toBe('steps');
    expect(closestName('mnist', ['cifar10', 'imagenette'])).toBeUndefined();
    expect(closestName('a', [])).toBeUndefined();
  });
});
