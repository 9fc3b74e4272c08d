import { Registry } from '@trustgrad/core-tensor';
import {
  elasticNetConjugateRegulariser,
  elasticNetRegulariser,
  groupRegulariser,
  l1Regulariser,
  l2Regulariser,
} from './built-in-regularisers';
import type { Regulariser } from './regulariser';

/**
 * Perturbation regularisers known by name (`l1`, `l2`, `group`, `elastic-net`,
 * `elastic-net-conjugate`), for `prox-regularised` and `nrat`.
 */
export const regularisers = new Registry<Regulariser>('regulariser');

for (const r of [
  l1Regulariser,
  l2Regulariser,
  groupRegulariser,
  elasticNetRegulariser,
  elasticNetConjugateRegulariser,
]) {
  regularisers.register(r);
}

/** The regulariser called `name`, or `r` itself when given a plugin object. */
export function resolveRegulariser(r: string | Regulariser): Regulariser {
  return typeof r === 'string' ? regularisers.get(r) : r;
}
