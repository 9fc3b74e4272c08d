import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { viteOptions } from '../build/vite-options';

/**
 * vitest globalSetup: builds the viewer once (into dist/, what `bench serve`
 * serves) before the browser tests, so they test the current sources.
 */
export default async function buildViewer(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await build(viteOptions(root, 'dist'));
}
