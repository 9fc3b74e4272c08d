import { defineConfig } from 'tsup';
import { packageBuild } from '@trustgrad/tooling/tsup';

export default defineConfig(packageBuild());
