// The built-ins register themselves through defineAttack; importing them here
// makes `resolveAttack` find them whichever module a caller imported first.
import './apgd-ce';
import './apgd-dlr';
import './apgd-t';
import './auto-attack';
import './fgsm';
import './masked-pgd';
import './pgd-group';
import './pgd-l2';
import './pgd-linf';
import './pixel-budget-pgd';
import './prox-regularised';
import './square';
import { type Attack, attackRegistry } from './attack';

/** The attack called `name` (looked up in `attackRegistry`), or `attack` itself when given a plugin object. */
// biome-ignore lint/suspicious/noExplicitAny: plugins differ in their extra options
export function resolveAttack(attack: string | Attack<any>): Attack<any> {
  return typeof attack === 'string' ? attackRegistry.get(attack) : attack;
}
