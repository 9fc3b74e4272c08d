import { MissingDependencyError } from '../errors/trustgrad-error';

/**
 * A loader for an optional npm dependency, imported on first use rather than
 * when the package is imported: a native module such as sharp must not stop a
 * program that never needs it from starting where its binary is missing
 * (`npm install --omit=optional`, a lockfile made on another OS). The import
 * itself is passed in, so the module resolves from the calling package. The
 * loaded default export is memoised; a failed load is retried on the next call
 * and fails with a {@link MissingDependencyError} saying what needs it.
 *
 * @example
 * export const loadSharp = optionalDependency<Sharp>('sharp', 'encoding PNG heatmaps', () => import('sharp'));
 */
export function optionalDependency<T>(
  name: string,
  neededFor: string,
  importModule: () => Promise<unknown>,
): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= importModule().then(
      (module) => ((module as { default?: T }).default ?? module) as T,
      (error: unknown) => {
        loading = undefined;
        throw new MissingDependencyError(
          `${name} could not be loaded (${(error as Error).message?.split('\n')[0] ?? String(error)}); ` +
            `${neededFor} needs it: install it with \`npm install ${name}\` ` +
            '(without --omit=optional, so its native binary for this platform comes with it)',
        );
      },
    );
    return loading;
  };
}
