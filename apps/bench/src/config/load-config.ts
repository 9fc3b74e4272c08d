import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { InvalidOptionError, TrustgradError } from '@trustgrad/core-tensor';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { PRESETS } from './presets';
import { type ExperimentConfig, experimentConfigSchema } from './schema';

/** A config file or `--set` value that does not validate. */
export class ConfigError extends TrustgradError {
  override name = 'ConfigError';
}

/** Where a run's config comes from: a preset, a file, and `key=value` overrides, merged in that order. */
export interface ConfigSources {
  preset?: string;
  configFile?: string;
  set?: string[];
}

/**
 * Builds the validated config of a run. Later sources win: preset < file < `--set`.
 * A wrong key or value fails with one message naming its path and what is allowed.
 */
export function loadConfig(sources: ConfigSources): ExperimentConfig {
  let raw: Record<string, unknown> = {};
  if (sources.preset) {
    const preset = PRESETS[sources.preset];
    if (!preset) {
      throw new ConfigError(
        `unknown preset "${sources.preset}"; known presets: ${Object.keys(PRESETS).join(', ')}`,
      );
    }
    raw = structuredClone(preset.config) as Record<string, unknown>;
  }
  if (sources.configFile) raw = deepMerge(raw, readConfigFile(sources.configFile));
  for (const assignment of sources.set ?? []) applyAssignment(raw, assignment);
  if (!sources.preset && !sources.configFile) {
    throw new ConfigError(
      'no config given: pass --preset <name> (see `pnpm bench list`) or --config <file>',
    );
  }
  return validateConfig(raw);
}

/** Validates a raw config object, turning zod's issues into one readable {@link ConfigError}. */
export function validateConfig(raw: unknown): ExperimentConfig {
  const result = experimentConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(`invalid config:\n${formatIssues(result.error.issues)}`);
}

function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
      return `  - ${path}: ${messageOf(issue)}`;
    })
    .join('\n');
}

/** An issue's message; a value that fits none of a union's forms lists what each form wanted. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_union' || !('errors' in issue) || issue.errors.length === 0)
    return issue.message;
  const forms = issue.errors.map((alternative) =>
    alternative
      .map(
        (inner) =>
          `${inner.path.length ? `${inner.path.map(String).join('.')}: ` : ''}${messageOf(inner)}`,
      )
      .join('; '),
  );
  return `matches none of its ${forms.length} forms: ${forms.map((f, i) => `(${i + 1}) ${f}`).join(' or ')}`;
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new ConfigError(`config file ${path} does not exist`);
  const text = readFileSync(path, 'utf8');
  try {
    const parsed = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('the top level must be an object of settings');
    }
    const settings = parsed as Record<string, unknown>;
    // A config file's relative plugin paths mean "next to the file", wherever the bench runs from.
    if (Array.isArray(settings.plugins)) {
      settings.plugins = settings.plugins.map((p) =>
        typeof p === 'string' && p.startsWith('.') ? resolve(dirname(path), p) : p,
      );
    }
    return settings;
  } catch (error) {
    throw new ConfigError(`config file ${path} could not be read: ${(error as Error).message}`);
  }
}

/** Applies `a.b.c=value` to `target`; the value is parsed as JSON when it can be, else kept as text. */
function applyAssignment(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    throw new InvalidOptionError(
      `--set expects key=value (e.g. training.epochs=3), got "${assignment}"`,
    );
  }
  const keys = assignment.slice(0, eq).split('.');
  const text = assignment.slice(eq + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // plain text values (e.g. dataset.path=/data/cifar) stay strings
  }
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
