/** ImageNette's 10 WordNet ids, sorted (the label order), and their names. */
export const IMAGENETTE_CLASSES = [
  { wnid: 'n01440764', name: 'tench' },
  { wnid: 'n02102040', name: 'English springer' },
  { wnid: 'n02979186', name: 'cassette player' },
  { wnid: 'n03000684', name: 'chain saw' },
  { wnid: 'n03028079', name: 'church' },
  { wnid: 'n03394916', name: 'French horn' },
  { wnid: 'n03417042', name: 'garbage truck' },
  { wnid: 'n03425413', name: 'gas pump' },
  { wnid: 'n03445777', name: 'golf ball' },
  { wnid: 'n03888605', name: 'parachute' },
] as const;

/** The class names, indexed by label. */
export const IMAGENETTE_CLASS_NAMES: readonly string[] = IMAGENETTE_CLASSES.map((c) => c.name);
