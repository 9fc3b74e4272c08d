import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@trustgrad/core-tensor';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetFormatError, DatasetNotFoundError } from '../errors/dataset-errors';
import { loadDataset } from '../plugin/load-dataset';
import { disposeBatch } from '../split/data-split';
import '../index';
import { bandsJpeg, tempDir, writeImagenette } from '../testing/fixtures';
import { IMAGENETTE_CLASS_NAMES, IMAGENETTE_CLASSES } from './imagenette-classes';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const approx = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThan(0.08);

describe('imagenette, official folder layout', () => {
  it('decodes, centre-crops and labels by class folder; a second load streams from the cache', async () => {
    const root = tempDir('inette');
    const cacheDir = tempDir('inette-cache');
    await writeImagenette(root);
    const stages: string[] = [];
    const data = await loadDataset('imagenette', {
      path: root,
      imageSize: 12,
      cacheDir,
      onProgress: (p) => stages.push(p.stage),
    });
    expect(data.classNames).toEqual(IMAGENETTE_CLASS_NAMES);
    expect(data.imageShape).toEqual([12, 12, 3]);
    expect(data.train.length).toBe(20);
    expect(data.test.length).toBe(20);
    expect(data.train.classCounts()).toEqual(new Array(10).fill(2));
    expect(stages).toContain('decode');
    // Label 3: centre crop of a 72×24 image scaled to 36×12 keeps only the middle band.
    const position = data.train.labels.indexOf(3);
    const batch = await data.train.gather([position]);
    const x = batch.x.dataSync();
    for (const px of [2, 6, 9]) {
      const at = (6 * 12 + px) * 3;
      approx(x[at], 75 / 255);
      approx(x[at + 1], 180 / 255);
      approx(x[at + 2], 128 / 255);
    }
    disposeBatch(batch);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tgpack')).length).toBe(2);

    const again: string[] = [];
    const cached = await loadDataset('imagenette', {
      path: root,
      imageSize: 12,
      cacheDir,
      onProgress: (p) => again.push(p.stage),
    });
    expect(again).toEqual(['cache', 'cache']);
    const b2 = await cached.train.gather([position]);
    expect([...b2.x.dataSync()]).toEqual([...x]);
    disposeBatch(b2);
  });

  it("'stretch' keeps all three bands", async () => {
    const root = tempDir('inette-stretch');
    await writeImagenette(root, 1);
    const data = await loadDataset('imagenette', {
      path: root,
      imageSize: 12,
      fit: 'stretch',
      cacheDir: tempDir('c'),
    });
    const batch = await data.test.take(1);
    const x = batch.x.dataSync();
    approx(x[(6 * 12 + 0) * 3], 1); // red on the left
    approx(x[(6 * 12 + 11) * 3 + 2], 1); // blue on the right
    disposeBatch(batch);
  });

  it('a changed source invalidates the cache', async () => {
    const root = tempDir('inette-change');
    const cacheDir = tempDir('inette-change-cache');
    await writeImagenette(root, 1);
    await loadDataset('imagenette', { path: root, imageSize: 8, cacheDir });
    const file = join(
      root,
      'train',
      IMAGENETTE_CLASSES[0].wnid,
      `${IMAGENETTE_CLASSES[0].wnid}_1.JPEG`,
    );
    writeFileSync(file, await bandsJpeg(9));
    const stages: string[] = [];
    const data = await loadDataset('imagenette', {
      path: root,
      imageSize: 8,
      cacheDir,
      onProgress: (p) =>
        stages.push(
          `${p.stage}:${p.file?.endsWith('val') || p.file?.includes('-val-') ? 'val' : 'train'}`,
        ),
    });
    expect(data.train.length).toBe(11);
    expect(stages).toContain('decode:train');
    expect(stages).toContain('cache:val');
    // Touching a file (same bytes, new mtime) also rebuilds.
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const touched: string[] = [];
    await loadDataset('imagenette', {
      path: root,
      imageSize: 8,
      cacheDir,
      onProgress: (p) => touched.push(p.stage),
    });
    expect(touched).toContain('decode');
  });

  it('a truncated cache file is rebuilt, not trusted', async () => {
    const root = tempDir('inette-trunc-cache');
    const cacheDir = tempDir('inette-trunc-cache-c');
    await writeImagenette(root, 1);
    await loadDataset('imagenette', { path: root, imageSize: 8, cacheDir });
    const pack = readdirSync(cacheDir).find((f) => f.includes('-train-'))!;
    const bytes = readFileSync(join(cacheDir, pack));
    writeFileSync(join(cacheDir, pack), bytes.subarray(0, bytes.length - 10));
    const stages: string[] = [];
    await loadDataset('imagenette', {
      path: root,
      imageSize: 8,
      cacheDir,
      onProgress: (p) => stages.push(p.stage),
    });
    expect(stages[0]).toBe('decode');
  });

  it('a cache with one flipped byte (a pixel, a label) fails its SHA-256 and is rebuilt, never read', async () => {
    const root = tempDir('inette-flip');
    const cacheDir = tempDir('inette-flip-c');
    await writeImagenette(root, 1);
    const first = await loadDataset('imagenette', { path: root, imageSize: 8, cacheDir });
    const reference = await first.train.take(first.train.length);
    const expected = [...reference.x.dataSync()];
    const labels = [...first.train.labels];
    disposeBatch(reference);
    const pack = join(cacheDir, readdirSync(cacheDir).find((f) => f.includes('-train-'))!);
    const pristine = readFileSync(pack);
    const labelsAt = 12 + pristine.readUInt32LE(8);
    for (const [what, offset] of [
      ['a pixel', pristine.length - 100],
      ['a label', labelsAt + 4 * 3],
    ] as const) {
      const bytes = Buffer.from(pristine);
      bytes[offset] ^= 0x10;
      writeFileSync(pack, bytes);
      const stages: string[] = [];
      const data = await loadDataset('imagenette', {
        path: root,
        imageSize: 8,
        cacheDir,
        onProgress: (p) => stages.push(p.stage),
      });
      expect(stages[0], what).toBe('decode');
      expect([...data.train.labels], what).toEqual(labels);
      const batch = await data.train.take(data.train.length);
      expect([...batch.x.dataSync()], what).toEqual(expected);
      disposeBatch(batch);
      expect(readFileSync(pack).equals(pristine), what).toBe(true);
    }
  });

  it('missing class folder, unknown folder, empty folder, missing root', async () => {
    const root = tempDir('inette-missing');
    await writeImagenette(root, 1);
    const cacheDir = tempDir('c2');
    const missing = join(root, 'val', 'n03888605');
    rmSync(missing, { recursive: true });
    const error = await loadDataset('imagenette', { path: root, cacheDir }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetNotFoundError);
    expect(error.file).toBe(missing);
    expect(error.message).toMatch(/class folder of "parachute" is missing/);
    mkdirSync(missing);
    await expect(loadDataset('imagenette', { path: root, cacheDir })).rejects.toThrow(
      /n03888605: the class folder of "parachute" is empty/,
    );
    rmSync(missing, { recursive: true });
    await writeImagenette(root, 1);
    mkdirSync(join(root, 'train', 'n99999999'));
    await expect(loadDataset('imagenette', { path: root, cacheDir })).rejects.toThrow(
      /holds "n99999999", which are not ImageNette class folders/,
    );
    await expect(loadDataset('imagenette', { path: join(root, 'nope'), cacheDir })).rejects.toThrow(
      /nope\/train: does not exist/,
    );
  });

  it('a corrupt JPEG and a PNG named .JPEG are errors naming the file', async () => {
    const cacheDir = tempDir('c3');
    const make = async (name: string, bytes: Buffer) => {
      const root = tempDir(`inette-${name}`);
      await writeImagenette(root, 1);
      const file = join(
        root,
        'train',
        IMAGENETTE_CLASSES[4].wnid,
        `${IMAGENETTE_CLASSES[4].wnid}_0.JPEG`,
      );
      writeFileSync(file, bytes);
      return { root, file };
    };
    const good = await bandsJpeg(4);
    const corrupt = await make('corrupt', good.subarray(0, Math.floor(good.length * 0.6)));
    const e1 = await loadDataset('imagenette', {
      path: corrupt.root,
      cacheDir,
      imageSize: 8,
    }).catch((e) => e);
    expect(e1).toBeInstanceOf(DatasetFormatError);
    expect(e1.file).toBe(corrupt.file);
    expect(e1.message).toMatch(/cannot be decoded .*corrupt/);
    const png = await make('png', await sharp(good).png().toBuffer());
    await expect(
      loadDataset('imagenette', { path: png.root, cacheDir, imageSize: 8 }),
    ).rejects.toThrow(/is a png image, expected JPEG/);
  });

  it('greyscale and CMYK JPEGs are converted to RGB by default, as Pillow convert("RGB") does; rejectNonRgb refuses them', async () => {
    const cacheDir = tempDir('c4');
    const root = tempDir('inette-modes');
    await writeImagenette(root, 1);
    const solid = (r: number, g: number, b: number) =>
      sharp({ create: { width: 16, height: 16, channels: 3, background: { r, g, b } } });
    const fileOf = (label: number) =>
      join(
        root,
        'train',
        IMAGENETTE_CLASSES[label].wnid,
        `${IMAGENETTE_CLASSES[label].wnid}_0.JPEG`,
      );
    // A solid grey 77 (one channel) and a solid CMYK ink mix that Pillow 9.4 reads as
    // (0, 152, 248, 47) and converts to RGB (208, 84, 6); libvips's ICC transform would give (201, 99, 7).
    writeFileSync(
      fileOf(2),
      await solid(77, 77, 77).toColourspace('b-w').jpeg({ quality: 100 }).toBuffer(),
    );
    writeFileSync(
      fileOf(5),
      await solid(200, 100, 30).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer(),
    );
    expect((await sharp(fileOf(2)).metadata()).channels).toBe(1);
    const cmyk = await sharp(fileOf(5)).metadata();
    expect([cmyk.space, cmyk.channels]).toEqual(['cmyk', 4]);

    const data = await loadDataset('imagenette', { path: root, cacheDir, imageSize: 8 });
    const pixel = async (label: number) => {
      const batch = await data.train.gather([data.train.labels.indexOf(label)]);
      const x = batch.x.dataSync();
      disposeBatch(batch);
      const at = (4 * 8 + 4) * 3;
      return [x[at], x[at + 1], x[at + 2]].map((v) => Math.round(v * 255));
    };
    const near = (actual: number[], expected: number[]) =>
      actual.forEach((v, k) =>
        expect(Math.abs(v - expected[k]), `${actual} vs ${expected}`).toBeLessThanOrEqual(1),
      );
    near(await pixel(2), [77, 77, 77]);
    near(await pixel(5), [208, 84, 6]);

    const refuse = () =>
      loadDataset('imagenette', { path: root, cacheDir, imageSize: 8, rejectNonRgb: true }).catch(
        (e) => e,
      );
    const e1 = await refuse();
    expect(e1).toBeInstanceOf(DatasetFormatError);
    expect(e1.file).toBe(fileOf(2));
    expect(e1.message).toMatch(/1-channel b-w JPEG, expected RGB .*leave rejectNonRgb off/);
    writeFileSync(fileOf(2), await bandsJpeg(2));
    const e2 = await refuse();
    expect(e2.file).toBe(fileOf(5));
    expect(e2.message).toMatch(/4-channel cmyk JPEG, expected RGB/);
    await expect(
      loadDataset('imagenette', { path: root, cacheDir, rejectNonRgb: 'yes' }),
    ).rejects.toThrow(/rejectNonRgb must be true or false/);
    await expect(
      loadDataset('imagenette', { path: root, cacheDir, nonRgb: 'error' }),
    ).rejects.toThrow(/has no option "nonRgb".*rejectNonRgb/);
  });
});
