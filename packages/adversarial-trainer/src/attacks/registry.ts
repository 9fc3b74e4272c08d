import { Registry } from '@trustgrad/core-tensor';
import type { Attack } from './attack';
import { fgsm } from './fgsm';
import { maskedPgd } from './masked-pgd';
import { pgdGroup } from './pgd-group';
import { pgdL2 } from './pgd-l2';
import { pgdLinf } from './pgd-linf';
import { pixelBudgetPgd } from './pixel-budget-pgd';
import { proxRegularised } from './prox-regularised';

/**
 * Every attack known by name. Built-ins (`fgsm`, `pgd-linf`, `pgd-l2`,
 * `masked-pgd`, `pgd-group`, `prox-regularised`, `pixel-budget-pgd`) register here through the same `register` users call.
 */
// biome-ignore lint/suspicious/noExplicitAny: plugins differ in their extra options
export const attacks = new Registry<Attack<any>>('attack');

for (const attack of [fgsm, pgdLinf, pgdL2, maskedPgd, pgdGroup, proxRegularised, pixelBudgetPgd]) {
  attacks.register(attack);
}

/** The attack called `name`, or `attack` itself when given a plugin object. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export function resolveAttack(attack: string | Attack<any>): Attack<any> {
  return typeof attack === 'string' ? attacks.get(attack) : attack;
}
