import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { viteOptions } from './build/vite-options';

const root = fileURLToPath(new URL('.', import.meta.url));

// `pnpm --filter @trustgrad/viewer build` writes dist/, which `bench serve <results>` serves.
export default defineConfig(viteOptions(root, 'dist'));
