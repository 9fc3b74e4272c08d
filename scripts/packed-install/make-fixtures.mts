// Tiny datasets in the official formats for the datasets README's CIFAR-10 and ImageNette
// examples: a 3-records-per-batch CIFAR-10 .tar.gz and an ImageNette folder with one JPEG per
// class and split. Run from the workspace (tsx --conditions=source), written to argv[2].
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tarGz, writeCifarFolder, writeImagenette } from '../../packages/datasets/src/testing/fixtures';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx make-fixtures.mts OUT_DIR');
const cifarRoot = join(out, 'cifar');
mkdirSync(cifarRoot, { recursive: true });
writeCifarFolder(cifarRoot, 3);
tarGz(cifarRoot, 'cifar-10-batches-bin', join(out, 'cifar-10-binary.tar.gz'));
await writeImagenette(join(out, 'imagenette2-160'), 1);
console.log(`[fixtures] ${out}: cifar-10-binary.tar.gz, imagenette2-160/`);
