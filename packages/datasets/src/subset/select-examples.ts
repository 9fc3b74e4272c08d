import { InvalidOptionError } from '@trustgrad/core-tensor';
import { rngFor } from '../random/rng-for';

/** Which examples of a split to keep. */
export interface SubsetOptions {
  /** Keep at most this many examples. */
  readonly limit?: number;
  /** Keep only these classes (indices or names). */
  readonly classes?: readonly (number | string)[];
  /**
   * With `limit`: keep each class's share of the split (largest-remainder
   * rounding), the members drawn with `seed`. Otherwise the first `limit`
   * examples are kept. Default true.
   */
  readonly stratified?: boolean;
  /** Seed of the stratified draw. Default 0. */
  readonly seed?: number;
  /** Renumber the kept classes 0..k-1 (and shorten `classNames`). Default false. */
  readonly remapLabels?: boolean;
}

/** Resolves class names or indices to sorted unique indices, failing on unknown ones. */
export function resolveClasses(
  classes: readonly (number | string)[],
  classNames: readonly string[],
): number[] {
  const out = new Set<number>();
  for (const cls of classes) {
    const index = typeof cls === 'number' ? cls : classNames.indexOf(cls);
    if (!Number.isInteger(index) || index < 0 || index >= classNames.length) {
      throw new InvalidOptionError(
        `unknown class ${JSON.stringify(cls)}; expected an index 0..${classNames.length - 1} or one of: ${classNames.join(', ')}`,
      );
    }
    out.add(index);
  }
  if (out.size === 0)
    throw new InvalidOptionError('classes is empty; list at least one class or leave it out');
  return [...out].sort((a, b) => a - b);
}

/** Positions (ascending) of the examples whose label is in `classes`. */
export function positionsOfClasses(labels: Int32Array, classes: readonly number[]): Int32Array {
  const keep = new Set(classes);
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (keep.has(labels[i])) out.push(i);
  return Int32Array.from(out);
}

/** Positions per class, in ascending order. */
function groupByClass(labels: Int32Array): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = groups.get(labels[i]);
    if (list) list.push(i);
    else groups.set(labels[i], [i]);
  }
  return groups;
}

/** Splits `total` over groups in proportion to `sizes` (largest remainder), never above a group's size. */
export function proportionalQuotas(sizes: readonly number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  if (n === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / n);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, k) => [e - Math.floor(e), k] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left <= 0) break;
    if (quotas[k] < sizes[k]) {
      quotas[k]++;
      left--;
    }
  }
  return quotas;
}

/**
 * Draws `count` positions with each class keeping its share, members chosen
 * with `seed`. Returns `[chosen, rest]`, each ascending.
 */
export function stratifiedDraw(
  labels: Int32Array,
  count: number,
  seed: number,
): [Int32Array, Int32Array] {
  const groups = [...groupByClass(labels).entries()].sort((a, b) => a[0] - b[0]);
  const quotas = proportionalQuotas(
    groups.map(([, members]) => members.length),
    Math.min(count, labels.length),
  );
  const chosen: number[] = [];
  const rest: number[] = [];
  groups.forEach(([cls, members], k) => {
    const order = rngFor(seed, cls, 0x57a7).permutation(members.length);
    for (let i = 0; i < members.length; i++)
      (i < quotas[k] ? chosen : rest).push(members[order[i]]);
  });
  const ascending = (a: number, b: number) => a - b;
  return [Int32Array.from(chosen.sort(ascending)), Int32Array.from(rest.sort(ascending))];
}

/** Checks that `limit` is a positive integer. */
export function checkLimit(limit: number, what = 'limit'): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidOptionError(`${what} must be a positive integer, got ${limit}`);
  }
}
