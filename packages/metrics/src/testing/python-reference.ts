// Runs an independent NumPy reference script of src/testing (tests only).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';

/** Whether /usr/bin/python3 with NumPy is here (tests that need it skip otherwise). */
export const hasNumpy = (() => {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import numpy']);
    return true;
  } catch {
    return false;
  }
})();

/** Runs `src/testing/<script>` with `input` as JSON on stdin and parses its JSON output. */
export function runPythonReference<T>(script: string, input: unknown): T {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return JSON.parse(execFileSync(PYTHON, [path], { input: JSON.stringify(input) }).toString()) as T;
}
