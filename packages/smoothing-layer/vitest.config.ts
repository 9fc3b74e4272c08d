import { defineConfig } from 'vitest/config';
import { packageTests } from '@trustgrad/tooling/vitest';

export default defineConfig(packageTests());
