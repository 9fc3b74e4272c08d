/** Paper-typical L∞ radius per dataset (SPEC 2.2); `attack.eps` overrides it. */
export const DEFAULT_EPS: Record<string, number> = {
  'fashion-mnist': 0.1,
  cifar10: 8 / 255,
  imagenette: 4 / 255,
};

/** Where to get a dataset that is not found, for the error message. */
export const DATA_HINTS: Record<string, string> = {
  'fashion-mnist':
    'install it with `sudo apt-get install dataset-fashion-mnist`, or pass --set dataset.path=/dir/with/idx/files',
  cifar10:
    'download the binary version (cifar-10-binary.tar.gz) from the CIFAR-10 page and pass --set dataset.path=/path/to/cifar-10-batches-bin (or the .tar.gz)',
  imagenette:
    'download imagenette2-160 (or -320) from the fast.ai ImageNette page, unpack it and pass --set dataset.path=/path/to/imagenette2-160',
};
