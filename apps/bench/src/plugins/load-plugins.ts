import { register } from 'node:module';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TrustgradError } from '@trustgrad/core-tensor';

/** A plugin module that could not be imported (missing file, syntax error, failing import). */
export class PluginLoadError extends TrustgradError {
  override name = 'PluginLoadError';
}

/** The monorepo root: imports from files below it resolve as they always do. */
const WORKSPACE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * A Node resolve hook (as a `data:` module, so the built bench needs no extra
 * file): a plugin outside the workspace importing `@tensorflow/*` or
 * `@trustgrad/*` gets the bench's own copy, resolved as if this file imported
 * it. One copy matters: a second tfjs engine or a second metric registry
 * would not see the bench's tensors or plugins.
 */
const HOOK = `
let parentURL, workspace;
export function initialize(data) { parentURL = data.parentURL; workspace = data.workspace; }
export async function resolve(specifier, context, next) {
  const shared = /^@(tensorflow|trustgrad)\\//.test(specifier);
  const outside = context.parentURL && context.parentURL.startsWith('file:') && !context.parentURL.startsWith(workspace);
  return next(specifier, shared && outside ? { ...context, parentURL } : context);
}`;

let hookRegistered = false;

function shareBenchPackages(): void {
  if (hookRegistered) return;
  hookRegistered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, {
    data: { parentURL: import.meta.url, workspace: pathToFileURL(WORKSPACE + sep).href },
  });
}

/**
 * Imports each plugin module of a config; each registers its plugins on
 * import (`defineAttribution`, `defineMetric`, `defineAttack`, `defineModel`, …).
 * Paths starting with `.` resolve against `baseDir` (the config loader has
 * already made a config file's paths absolute); other names are packages.
 * Wherever a plugin lives, its `@tensorflow/*` and `@trustgrad/*` imports are
 * the bench's own.
 */
export async function loadPlugins(plugins: string[], baseDir = process.cwd()): Promise<void> {
  if (plugins.length > 0) shareBenchPackages();
  for (const plugin of plugins) {
    const local = plugin.startsWith('.') || isAbsolute(plugin);
    const target = local ? pathToFileURL(resolve(baseDir, plugin)).href : plugin;
    try {
      await import(target);
    } catch (error) {
      throw new PluginLoadError(
        `plugin "${plugin}"${local ? ` (${fileURLToPath(target)})` : ''} could not be loaded: ${(error as Error).message}\n` +
          'a plugin is a module that registers its plugins on import; check the path (relative paths resolve against the config file) and its imports',
      );
    }
  }
}
