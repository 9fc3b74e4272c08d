import type { VerifiedFile } from '../download/download-verified';

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The ten Fashion-MNIST classes, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** The four IDX files, by role; each may be stored raw or gzipped (`<name>.gz`). */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type FashionMnistFileRole = keyof typeof FASHION_MNIST_FILES;

/** The fix errors about a damaged or unreadable Fashion-MNIST file suggest. */
export const FASHION_MNIST_FIX = 'download it again or reinstall dataset-fashion-mnist';

const S3 = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';
const GITHUB = 'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion';

/**
 * The official gzipped files (zalandoresearch/fashion-mnist) and their SHA-256.
 * These are the upstream .gz files; Debian recompresses them, so its .gz bytes
 * differ while the IDX content is the same.
 */
export const FASHION_MNIST_DOWNLOADS: Record<FashionMnistFileRole, VerifiedFile> = {
  trainImages: {
    urls: [`${S3}/train-images-idx3-ubyte.gz`, `${GITHUB}/train-images-idx3-ubyte.gz`],
    sha256: '08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc',
  },
  trainLabels: {
    urls: [`${S3}/train-labels-idx1-ubyte.gz`, `${GITHUB}/train-labels-idx1-ubyte.gz`],
    sha256: 'b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc',
  },
  testImages: {
    urls: [`${S3}/t10k-images-idx3-ubyte.gz`, `${GITHUB}/t10k-images-idx3-ubyte.gz`],
    sha256: '78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229',
  },
  testLabels: {
    urls: [`${S3}/t10k-labels-idx1-ubyte.gz`, `${GITHUB}/t10k-labels-idx1-ubyte.gz`],
    sha256: '42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf',
  },
};
