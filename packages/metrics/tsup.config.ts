import { packageBuild } from '@trustgrad/tooling/tsup';
import { defineConfig } from 'tsup';

export default defineConfig(packageBuild());
