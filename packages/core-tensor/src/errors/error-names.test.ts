import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as entry from '../index';

describe('error names', () => {
  it('every exported error class names itself, as exported', () => {
    const classes = Object.entries(entry).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
    ) as [string, new (message: string) => Error][];
    expect(classes.length).toBeGreaterThan(10);
    for (const [exported, ErrorClass] of classes)
      expect(new ErrorClass('m').name, exported).toBe(exported);
  });

  it('survives a minifying bundler, which renames classes', async () => {
    const result = await build({
      stdin: {
        contents:
          "import { InvalidOptionError, ShapeError } from './trustgrad-error';\n" +
          'export const names = [new InvalidOptionError("x").name, new ShapeError("y").name, InvalidOptionError.name];',
        resolveDir: new URL('.', import.meta.url).pathname,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    const { names } = (await import(
      `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
    )) as { names: string[] };
    // The class itself is renamed (this is what the string fields guard against) …
    expect(names[2]).not.toBe('InvalidOptionError');
    // … and the errors still say what they are.
    expect(names.slice(0, 2)).toEqual(['InvalidOptionError', 'ShapeError']);
  });
});
