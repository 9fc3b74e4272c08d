import { sharedRegistry } from '@trustgrad/core-tensor';
import type { AttributionInfo, AttributionMethod } from './attribution-method';

// biome-ignore lint/suspicious/noExplicitAny: the registry holds methods of any option type.
export type AnyAttributionMethod = AttributionMethod<any, AttributionInfo>;

/**
 * The registry of attribution methods, keyed by kebab-case name (the
 * built-ins by their results-contract names: `vg`, `ig`, `smoothgrad`,
 * `gradcam`, `lse`, `gradient-x-input`, `smoothgrad-squared`, `vargrad`).
 * `defineAttribution` registers here; look methods up with
 * `attributionRegistry.get(name)` (unknown names fail listing the known ones),
 * list them with `attributionRegistry.names()` / `.list()`. Shared through
 * `globalThis` by every copy of the package.
 */
export const attributionRegistry = sharedRegistry<AnyAttributionMethod>('attribution', {
  keyStyle: 'kebab-case',
  label: 'attribution method',
});
