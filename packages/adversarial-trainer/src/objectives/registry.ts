import { Registry } from '@trustgrad/core-tensor';
import { explanationConsistency } from './explanation-consistency';
import { nrat } from './nrat';
import type { Objective } from './objective';
import { pgdAt } from './pgd-at';
import { scaat } from './scaat';
import { standard } from './standard';
import { trades } from './trades';

/**
 * Every training objective known by name. Built-ins (`standard`, `pgd-at`,
 * `trades`, `nrat`, `scaat`, `explanation-consistency`) register through the same `register` users call.
 */
// biome-ignore lint/suspicious/noExplicitAny: objectives differ in options and prepared state
export const objectives = new Registry<Objective<any, any>>('objective');

for (const objective of [standard, pgdAt, trades, nrat, scaat, explanationConsistency])
  objectives.register(objective);

/** The objective called `name`, or `objective` itself when given a plugin object. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export function resolveObjective(objective: string | Objective<any, any>): Objective<any, any> {
  return typeof objective === 'string' ? objectives.get(objective) : objective;
}
