import { packageTests } from '@trustgrad/tooling/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig(packageTests());
