// The runnable examples of the package READMEs, as a user would copy them.
//
// A ```ts block right after `<!-- example: NAME -->` is a whole program that must run as
// written; one after `<!-- fragment -->` is an excerpt (it uses names defined elsewhere) and
// is not run. Every ```ts block must carry one of the two marks, so a new example cannot
// silently escape the check.
//
//   node scripts/packed-install/readme-examples.mjs check           marks present, install lines cover imports
//   node scripts/packed-install/readme-examples.mjs write DIR       writes DIR/<package>--<name>.ts and
//                                                    DIR/examples.json [{ package, name, file }]
//
// scripts/check-packages.sh runs the written files in consumer projects made from the packed
// tarballs, under npm and pnpm.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every README of a published package, with its blocks. */
export function readmes() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .filter((name) => !JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')).private)
    .sort()
    .map((name) => {
      const path = join(dir, name, 'README.md');
      return { package: name, path, ...parseReadme(readFileSync(path, 'utf8'), path) };
    });
}

/** The marked ts blocks and the `pnpm add` install lines of one README. */
export function parseReadme(text, path) {
  const examples = [];
  const problems = [];
  const installed = new Set();
  const fence = /(?:^<!-- (example: ([\w-]+)|fragment) -->\n)?^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(fence)) {
    const [, mark, name, lang, body] = m;
    const line = text.slice(0, m.index).split('\n').length;
    if (lang === 'sh' || lang === 'bash') {
      for (const command of body.split('\n')) {
        const add = command.replace(/#.*/, '').match(/^\s*pnpm add (.+)$/);
        if (add) for (const spec of add[1].trim().split(/\s+/)) installed.add(bareName(spec));
      }
    }
    if (lang !== 'ts') continue;
    if (!mark) {
      problems.push(
        `${path}:${line}: a ts block without a mark; put <!-- example: NAME --> (runs as written) or <!-- fragment --> on the line above`,
      );
    } else if (name) {
      if (examples.some((e) => e.name === name))
        problems.push(`${path}:${line}: a second example named "${name}"`);
      examples.push({ name, line, code: body });
    }
  }
  return { examples, installed, problems };
}

/** `@scope/name@1.2.3` → `@scope/name`. */
function bareName(spec) {
  return spec.startsWith('@') ? `@${spec.slice(1).split('@')[0]}` : spec.split('@')[0];
}

/** The npm packages a program imports (`node:` and built-in modules left out). */
export function importedPackages(code) {
  const names = new Set();
  for (const m of code.matchAll(/^\s*import\s[^'"]*?['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    if (spec.startsWith('node:') || spec.startsWith('.') || builtinModules.includes(spec)) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return names;
}

/** Every problem with the READMEs' examples and install lines, as messages. */
export function checkReadmes() {
  const problems = [];
  for (const readme of readmes()) {
    problems.push(...readme.problems);
    if (readme.examples.length === 0)
      problems.push(`${readme.path}: no runnable example (<!-- example: NAME -->)`);
    for (const example of readme.examples) {
      const missing = [...importedPackages(example.code)].filter((p) => !readme.installed.has(p));
      if (missing.length > 0)
        problems.push(
          `${readme.path}:${example.line}: example "${example.name}" imports ${missing.join(', ')}, which the README's \`pnpm add\` line leaves out (pnpm does not hoist: the import fails with ERR_MODULE_NOT_FOUND)`,
        );
      if (
        /\bawait\b/.test(example.code) &&
        !/"type": "module"|ES module|ESM/.test(readmeText(readme))
      )
        problems.push(
          `${readme.path}: examples use top-level await but the README does not say they need ESM`,
        );
    }
  }
  return [...new Set(problems)];
}

function readmeText(readme) {
  return readFileSync(readme.path, 'utf8');
}

function main([command, dir]) {
  if (command === 'check') {
    const problems = checkReadmes();
    for (const p of problems) console.error(p);
    if (problems.length > 0) process.exit(1);
    const count = readmes().reduce((n, r) => n + r.examples.length, 0);
    console.log(`[readme-examples] ${count} runnable examples, install lines cover their imports`);
  } else if (command === 'write' && dir) {
    mkdirSync(dir, { recursive: true });
    const manifest = [];
    for (const readme of readmes()) {
      for (const example of readme.examples) {
        const file = `${readme.package}--${example.name}.ts`;
        writeFileSync(join(dir, file), example.code);
        manifest.push({ package: readme.package, name: example.name, file });
      }
    }
    writeFileSync(join(dir, 'examples.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`[readme-examples] wrote ${manifest.length} examples to ${dir}`);
  } else {
    console.error('usage: node scripts/packed-install/readme-examples.mjs check | write DIR');
    process.exit(2);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
