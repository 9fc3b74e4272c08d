import { Registry } from '@trustgrad/core-tensor';
import type { AttributionInfo, AttributionMethod } from './attribution-method';

// biome-ignore lint/suspicious/noExplicitAny: the registry holds methods of any option type.
export type AnyAttributionMethod = AttributionMethod<any, AttributionInfo>;

/**
 * The registry of attribution methods, keyed by name. The built-ins register
 * here when the package is imported; users add theirs with
 * {@link registerAttribution}. Unknown names fail listing the known ones.
 */
export const attributionMethods = new Registry<AnyAttributionMethod>('attribution method');

/**
 * Registers `method` so `explain('<name>', ...)` (and the bench, metrics, CLI)
 * find it. Fails on a duplicate name unless `{ replace: true }`. Returns the method.
 */
export function registerAttribution<M extends AnyAttributionMethod>(
  method: M,
  options: { replace?: boolean } = {},
): M {
  attributionMethods.register(method, options);
  return method;
}

/** The registered method called `name` (fails listing the known names). */
export function getAttribution(name: string): AnyAttributionMethod {
  return attributionMethods.get(name);
}

/** Names of all registered attribution methods, sorted. */
export function listAttributions(): string[] {
  return attributionMethods.names();
}
