import './built-in-regularisers';
import type { Regulariser } from './regulariser';
import { regulariserRegistry } from './regulariser';

/** The regulariser called `name` (looked up in `regulariserRegistry`), or `r` itself when given a plugin object. */
export function resolveRegulariser(r: string | Regulariser): Regulariser {
  return typeof r === 'string' ? regulariserRegistry.get(r) : r;
}
