/**
 * @packageDocumentation
 * The browser entry of `@trustgrad/datasets` (export condition `browser`): the
 * Node entry's API without what reads files, downloads or decodes JPEGs
 * (`fashionMnist`, `readFashionMnist`, `locateFashionMnist`, `cifar10`,
 * `readCifar10`, `imagenette`, `fileRecordSource`, `downloadVerified`,
 * `sha256Hex`, `defaultCacheDir`, `BUILTIN_DATASETS`), so only the `synthetic`
 * dataset is registered. A page fetches the files and parses their bytes:
 * `parseFashionMnist` / `parseFashionMnistSplit` (gzipped or raw), `parseIdx`,
 * `decodeCifarBatch`, `readTarEntries`.
 */
export * from './portable';
