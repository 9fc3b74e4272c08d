/**
 * The results contract's short explainer names and the attribution registry
 * names they stand for. Any other name (a user's plugin) is used as it is.
 */
export const EXPLAINER_ALIASES: Record<string, string> = {
  vg: 'vanilla-gradient',
  ig: 'integrated-gradients',
  gradcam: 'grad-cam',
  smoothgrad: 'smoothgrad',
  lse: 'lse',
};

/** The attribution registry name of a config's explainer name. */
export function attributionName(explainer: string): string {
  return EXPLAINER_ALIASES[explainer] ?? explainer;
}
