import { resolveOptions } from '@trustgrad/core-tensor';
// The built-ins register themselves through defineObjective; importing them
// here makes `resolveObjective` find them whichever module was imported first.
import './explanation-consistency';
import './nrat';
import './pgd-at';
import './scaat';
import './standard';
import './trades';
import { type Objective, objectiveRegistry } from './objective';

/** The objective called `name` (looked up in `objectiveRegistry`), or `objective` itself when given a plugin object. */
// biome-ignore lint/suspicious/noExplicitAny: objectives differ in options and prepared state
export function resolveObjective(objective: string | Objective<any, any>): Objective<any, any> {
  return typeof objective === 'string' ? objectiveRegistry.get(objective) : objective;
}

/**
 * An objective's options: `given` merged over its defaults; an unknown key
 * fails with `InvalidOptionError` naming the objective's options.
 */
export function resolveObjectiveOptions<O extends object>(
  objective: Objective<O, unknown>,
  given: object | undefined,
): O {
  return resolveOptions(`objective "${objective.name}"`, objective.defaults, given);
}
