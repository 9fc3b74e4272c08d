import type { BuildResult } from 'esbuild';

/** Bundles `entry` for the browser platform (conditions `source`, `browser`), in memory, with a metafile. */
export declare function bundleForBrowser(
  entry: URL | string,
  options?: { external?: string[] },
): Promise<BuildResult<{ write: false; metafile: true }>>;
