import { InvalidOptionError } from '../errors/trustgrad-error';

/**
 * The one option resolver of every plugin kind (attributions, metrics,
 * attacks, objectives, datasets, models, smoothing): `defaults` merged under
 * `given`, a `given` value of `undefined` ignored (the default stays), and a key
 * `defaults` does not have rejected with {@link InvalidOptionError} naming the
 * owner, the known keys and the closest one ("did you mean").
 *
 * The keys of `defaults` are the list of accepted options, so a plugin's
 * defaults must name every option it reads (use `undefined` as the value of an
 * option that has no default). `extraKeys` adds keys that are accepted but have
 * no default (e.g. `target` of `explain`).
 *
 * @example
 * resolveOptions('attack "pgd-linf"', { steps: 10, eps: 0.03 }, { stpes: 5 });
 * // InvalidOptionError: attack "pgd-linf" has no option "stpes" (did you mean "steps"?); its options are eps, steps
 */
export function resolveOptions<D extends object>(
  owner: string,
  defaults: D,
  given: object | undefined,
  extraKeys: readonly string[] = [],
): D {
  const known = [...new Set([...Object.keys(defaults), ...extraKeys])].sort();
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!known.includes(key)) throw unknownOption(owner, key, known);
    if (value !== undefined) merged[key] = value;
  }
  return merged as D;
}

/** The error {@link resolveOptions} throws for `key`, for callers that check keys themselves. */
export function unknownOption(
  owner: string,
  key: string,
  known: readonly string[],
): InvalidOptionError {
  const close = closestName(key, known);
  return new InvalidOptionError(
    `${owner} has no option "${key}"${close ? ` (did you mean "${close}"?)` : ''}; ` +
      `its options are ${known.length ? [...known].sort().join(', ') : '(none)'}`,
  );
}

/**
 * The entry of `candidates` closest to `name` in edit distance (case
 * ignored), when it is close enough to be a typo: at most a third of the
 * longer name's letters differ (and at most 3). Otherwise `undefined`.
 *
 * @example closestName('sigm', ['sigma', 'padding']); // 'sigma'
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(name.length, best.length) / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions), plus adjacent swaps as one edit. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
