#!/usr/bin/env bash
# The packages as users install them. From a fresh copy of the working tree (tracked and
# untracked-but-not-ignored files: no dist/, no node_modules/), this
#   1. installs the workspace (pnpm, frozen lockfile) and runs `pnpm publish -r --dry-run`
#      (prepack builds every package), packs every package and checks each tarball's files;
#   2. runs `pnpm changeset version` and checks it bumped the packages;
#   3. installs the tarballs into a fresh npm project with tfjs 4.21.0 (not the 4.22.0 we
#      build with) and checks one tfjs-core copy (`npm ls`), import and require of every
#      package, every README example as written, and that packages start without sharp's
#      native binary;
#   4. installs them into a fresh pnpm project with the README's install line (tfjs 4.22.0),
#      runs every README example and type-checks a consumer under moduleResolution node16
#      and bundler with skipLibCheck false (errors in our .d.ts files fail), and runs the
#      installed bench CLI (trustgrad-bench) on an experiment file in the consumer's folder, and
#      builds a vite page from the installed packages (`browser` entry) that headless Chromium
#      runs on wasm (scripts/packed-install/browser-page.mjs; skipped without chromium outside CI).
# Needs the npm registry. Nothing is cached between runs but pnpm's content store.
# Usage: bash scripts/check-packages.sh [--keep] (keep the temporary folder to look at).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
keep=false
[ "${1:-}" = "--keep" ] && keep=true

work="$(mktemp -d "${TMPDIR:-/tmp}/trustgrad-packed.XXXXXX")"
cleanup() { if $keep; then echo "[packed] kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

start=$SECONDS
step_start=$SECONDS
say() { printf '[packed %4ds] %s\n' "$((SECONDS - start))" "$*" >&2; }
step() { say "$1 ($((SECONDS - step_start)) s)"; step_start=$SECONDS; }
fail() { say "FAIL: $*"; exit 1; }

# The tfjs versions of the two consumers: the one we build and test with, and an older
# release inside the peer range (SPEC: we support ^4.21.0).
tfjs_built=4.22.0
tfjs_other=4.21.0
tfjs_names=(@tensorflow/tfjs-core @tensorflow/tfjs-layers @tensorflow/tfjs-backend-cpu @tensorflow/tfjs-backend-wasm)
tools=("tsx@$(node -p "require('$root/package.json').devDependencies.tsx")"
  "typescript@$(node -p "require('$root/package.json').devDependencies.typescript")"
  "@types/node@$(node -p "require('$root/package.json').devDependencies['@types/node']")")

node "$root/scripts/packed-install/readme-examples.mjs" check
git -C "$root" rev-parse --git-dir >/dev/null 2>&1 ||
  fail "$root is not a git checkout: the fresh tree is made from git's list of files"

# 1. A fresh tree, built only by prepack.
clone="$work/clone"
mkdir -p "$clone"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$clone"
cd "$clone"
pnpm install --frozen-lockfile --offline --reporter=silent >/dev/null 2>&1 ||
  pnpm install --frozen-lockfile --reporter=silent >/dev/null
step "fresh tree installed"
pnpm publish -r --dry-run --no-git-checks >"$work/publish.log" 2>&1 ||
  { tail -40 "$work/publish.log"; fail "pnpm publish -r --dry-run"; }
published=$(grep -c '^+ @trustgrad/' "$work/publish.log" || true)
[ "$published" -eq 7 ] || { cat "$work/publish.log"; fail "publish --dry-run listed $published packages, expected 7"; }
step "pnpm publish -r --dry-run: 7 packages"

tarballs="$work/tarballs"
mkdir -p "$tarballs"
packages=(core-tensor smoothing-layer datasets attribution metrics adversarial-trainer)
for pkg in "${packages[@]}" bench; do
  pkg_dir="packages/$pkg"
  [ "$pkg" = bench ] && pkg_dir=apps/bench
  # prepack already ran for the dry-run publish: dist/ is fresh.
  (cd "$pkg_dir" && npm_config_ignore_scripts=true pnpm pack --pack-destination "$tarballs" >/dev/null)
  tgz="$tarballs/trustgrad-$pkg-0.1.0.tgz"
  [ -f "$tgz" ] || fail "no tarball for $pkg"
  listing=$(tar -tzf "$tgz")
  for file in package/LICENSE package/README.md package/package.json package/dist/index.js \
    package/dist/index.cjs package/dist/index.d.ts package/dist/index.d.cts; do
    grep -qx "$file" <<<"$listing" || fail "$pkg's tarball lacks ${file#package/}"
  done
  if grep -q '\.map$' <<<"$listing"; then fail "$pkg's tarball ships source maps"; fi
  if grep -q 'workspace:' <<<"$(tar -xOzf "$tgz" package/package.json)"; then
    fail "$pkg's packed package.json still says workspace:"
  fi
done
grep -qx package/dist/cli.js <<<"$(tar -tzf "$tarballs/trustgrad-bench-0.1.0.tgz")" ||
  fail "the bench's tarball lacks its CLI (dist/cli.js)"
grep -qx package/docs/feature-map-smoothing.png <<<"$(tar -tzf "$tarballs/trustgrad-smoothing-layer-0.1.0.tgz")" ||
  fail "smoothing-layer's tarball lacks the README figure"
step "packed 7 tarballs ($(du -ch "$tarballs"/*.tgz | tail -1 | cut -f1)), files checked"

# 2. The release step of changesets (Node 20: @changesets/cli 3 needed Node 22).
pnpm changeset version >"$work/changeset.log" 2>&1 || { cat "$work/changeset.log"; fail "pnpm changeset version"; }
for pkg in "${packages[@]}"; do
  version=$(node -p "require('./packages/$pkg/package.json').version")
  [ "$version" != 0.1.0 ] || fail "changeset version left $pkg at 0.1.0"
  [ -f "packages/$pkg/CHANGELOG.md" ] || fail "changeset version wrote no CHANGELOG.md for $pkg"
done
step "pnpm changeset version bumped 6 packages (core-tensor $(node -p "require('./packages/core-tensor/package.json').version"))"

# The consumers: our tarballs, tfjs at the given version, the tools the READMEs run with.
fixtures="$work/fixtures"
(cd "$root" && pnpm exec tsx --conditions=source scripts/packed-install/make-fixtures.mts "$fixtures" >/dev/null)
node "$root/scripts/packed-install/readme-examples.mjs" write "$work/examples" >/dev/null

# make_consumer DIR TFJS_VERSION: package.json with the tarballs and tfjs as dependencies
# (overrides make the packages' own @trustgrad/* dependencies resolve to the tarballs).
make_consumer() {
  mkdir -p "$1/examples"
  cp "$work/examples"/*.ts "$1/examples/"
  node - "$1" "$2" "$tarballs" "${tfjs_names[@]}" <<'EOF'
const [dir, tfjs, tarballs, ...tfjsNames] = process.argv.slice(2);
const fs = require('node:fs');
const names = ['core-tensor', 'smoothing-layer', 'datasets', 'attribution', 'metrics', 'adversarial-trainer', 'bench'];
const ours = Object.fromEntries(names.map((n) => [`@trustgrad/${n}`, `file:${tarballs}/trustgrad-${n}-0.1.0.tgz`]));
const pkg = {
  name: 'trustgrad-consumer', private: true, type: 'module',
  dependencies: { ...ours, ...Object.fromEntries(tfjsNames.map((n) => [n, tfjs])) },
  overrides: ours,
  pnpm: { overrides: ours },
};
fs.writeFileSync(`${dir}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
EOF
}

# run_examples DIR: every README example, as a .ts file of a "type": "module" project.
# Single-threaded wasm: the threaded start-up (~2 s each) would dominate these tiny examples;
# wasm_matches_cpu runs the threaded default once per consumer.
run_examples() {
  local dir=$1 file name t0
  for file in $(node -p "require('$work/examples/examples.json').map((e) => e.file).join(' ')"); do
    name=${file%.ts}
    t0=$SECONDS
    if ! (cd "$dir" && env CIFAR10_PATH="$fixtures/cifar-10-binary.tar.gz" \
      IMAGENETTE_PATH="$fixtures/imagenette2-160" TRUSTGRAD_CACHE_DIR="$dir/.cache" \
      TRUSTGRAD_WASM_THREADS=1 timeout 300 ./node_modules/.bin/tsx "examples/$file" \
      >"$dir/$name.log" 2>&1); then
      tail -30 "$dir/$name.log" | cut -c1-400 >&2
      fail "README example $name failed in $(basename "$dir")"
    fi
    say "  $name: ok ($((SECONDS - t0)) s)"
  done
}

# wasm_matches_cpu DIR: trustgrad's wasm kernels on the consumer's tfjs give cpu's gradients.
wasm_matches_cpu() {
  cp "$root/scripts/packed-install/wasm-matches-cpu.mjs" "$1/"
  (cd "$1" && timeout 300 node wasm-matches-cpu.mjs >"$1/wasm-matches-cpu.log" 2>&1) ||
    { tail -20 "$1/wasm-matches-cpu.log" | cut -c1-400 >&2; fail "wasm kernels on $(basename "$1")'s tfjs"; }
  say "  $(tail -1 "$1/wasm-matches-cpu.log")"
}

# 3. npm, tfjs 4.21.0.
npm_dir="$work/npm-consumer"
make_consumer "$npm_dir" "$tfjs_other"
(cd "$npm_dir" && npm install --no-audit --no-fund --loglevel=error "${tools[@]}" >"$work/npm-install.log" 2>&1) ||
  { cat "$work/npm-install.log"; fail "npm install of the tarballs with tfjs $tfjs_other"; }
step "npm consumer installed (tfjs $tfjs_other)"
(cd "$npm_dir" && node - "$tfjs_other" "${tfjs_names[@]}" <<'EOF'
const { execFileSync } = require('node:child_process');
const [want, ...names] = process.argv.slice(2);
for (const name of names) {
  let out;
  try {
    out = execFileSync('npm', ['ls', name, '--all', '--json'], { encoding: 'utf8' });
  } catch (error) {
    console.error(error.stdout);
    throw new Error(`npm ls ${name} reports a problem (invalid or missing peer)`);
  }
  const versions = new Set();
  const walk = (deps = {}) => {
    for (const [n, d] of Object.entries(deps)) {
      if (n === name) versions.add(d.version);
      walk(d.dependencies);
    }
  };
  walk(JSON.parse(out).dependencies);
  if (versions.size !== 1 || !versions.has(want))
    throw new Error(`npm ls ${name}: versions ${[...versions].join(', ')}, expected one copy at ${want}`);
}
const dirs = execFileSync('find', ['node_modules', '-type', 'd', '-path', '*/@tensorflow/tfjs-core'], { encoding: 'utf8' }).trim().split('\n');
if (dirs.length !== 1) throw new Error(`tfjs-core installed ${dirs.length} times: ${dirs.join(' ')}`);
EOF
) || fail "tfjs is not installed once in the npm consumer"
step "npm ls: one copy of each tfjs package, at $tfjs_other"
for pkg in "${packages[@]}"; do
  (cd "$npm_dir" && node --input-type=module -e "const m = await import('@trustgrad/$pkg'); if (Object.keys(m).length < 5) throw new Error('few exports');" &&
    node -e "const m = require('@trustgrad/$pkg'); if (Object.keys(m).length < 5) throw new Error('few exports');") ||
    fail "@trustgrad/$pkg does not load with import and require"
done
step "import and require of the 6 packages"
wasm_matches_cpu "$npm_dir"
step "wasm kernels match cpu gradients on tfjs $tfjs_other"
run_examples "$npm_dir"
step "README examples under npm (tfjs $tfjs_other)"
# Without sharp's native binary (npm install --omit=optional, a lockfile from another OS).
# sharp's platform packages (@img/sharp-<os>-<arch>, @img/sharp-libvips-…) are what goes missing.
hidden="$npm_dir/.sharp-binaries-hidden"
mkdir -p "$hidden"
mv "$npm_dir"/node_modules/@img/sharp-* "$hidden/"
(cd "$npm_dir" && node --input-type=module -e "
import * as trainer from '@trustgrad/adversarial-trainer';
import * as datasets from '@trustgrad/datasets';
import { encodePng } from '@trustgrad/attribution';
await encodePng({ width: 1, height: 1, data: new Uint8Array(3) }).then(
  () => { throw new Error('encodePng worked without sharp'); },
  (error) => { if (error.name !== 'MissingDependencyError') throw error; console.log(error.message); },
);") >"$work/no-sharp.log" 2>&1 || { cat "$work/no-sharp.log"; fail "the packages need sharp's binary to load"; }
mv "$hidden"/* "$npm_dir/node_modules/@img/"
step "without sharp's binary: packages load, encodePng says MissingDependencyError"

# 4. pnpm, tfjs 4.22.0, typed.
pnpm_dir="$work/pnpm-consumer"
make_consumer "$pnpm_dir" "$tfjs_built"
cp "$root/scripts/packed-install/consumer-types/"* "$pnpm_dir/"
(cd "$pnpm_dir" && pnpm install --reporter=silent >"$work/pnpm-install.log" 2>&1 &&
  pnpm add --reporter=silent "${tools[@]}" >>"$work/pnpm-install.log" 2>&1) ||
  { cat "$work/pnpm-install.log"; fail "pnpm install of the tarballs"; }
step "pnpm consumer installed (tfjs $tfjs_built)"
wasm_matches_cpu "$pnpm_dir"
run_examples "$pnpm_dir"
step "README examples under pnpm (tfjs $tfjs_built)"
# A vite page built from the installed packages (their `browser` entry) in headless Chromium:
# VG + Gini on wasm with trustgrad's kernels must equal Node's cpu numbers.
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then
  viewer_dev() { node -p "require('$root/apps/viewer/package.json').devDependencies['$1']"; }
  (cd "$pnpm_dir" && pnpm add --reporter=silent "vite@$(viewer_dev vite)" "playwright-core@$(viewer_dev playwright-core)" \
    >>"$work/pnpm-install.log" 2>&1) || { tail -30 "$work/pnpm-install.log"; fail "pnpm add vite playwright-core"; }
  cp -r "$root/scripts/packed-install/browser-page" "$root/scripts/packed-install/browser-page.mjs" "$pnpm_dir/"
  (cd "$pnpm_dir" && CHROMIUM_PATH="$chromium_path" timeout 300 node browser-page.mjs >"$work/browser-page.log" 2>&1) ||
    { tail -30 "$work/browser-page.log" | cut -c1-400 >&2; fail "the browser page in Chromium"; }
  say "  $(tail -1 "$work/browser-page.log")"
  step "browser page from the installed packages in headless Chromium"
elif [ "${CI:-}" = true ]; then
  fail "no chromium at $chromium_path: CI installs it for the browser page check"
else
  say "SKIPPED the browser page check: no chromium at $chromium_path (apt-get install chromium, or set CHROMIUM_PATH)"
fi
for config in tsconfig.node16.json tsconfig.bundler.json; do
  # skipLibCheck is false: tsc checks every .d.ts; ours (and the consumer's files) must be clean.
  (cd "$pnpm_dir" && ./node_modules/.bin/tsc -p "$config" >"$work/$config.log" 2>&1) || true
  if grep -E '^(node_modules/(\.pnpm/[^/]*/node_modules/)?@trustgrad/|examples/|consumer\.)' "$work/$config.log" |
    grep -q 'error TS'; then
    grep -E '^(node_modules/(\.pnpm/[^/]*/node_modules/)?@trustgrad/|examples/|consumer\.)' "$work/$config.log" |
      grep 'error TS' | head -30 >&2
    fail "type errors in our types or the examples under $config"
  fi
done
step "consumer type-checks under node16 and bundler (skipLibCheck false)"
# The bench CLI from the installed package, on an experiment file of the consumer's own.
cp "$root/scripts/packed-install/consumer-experiment.yaml" "$pnpm_dir/experiment.yaml"
(cd "$pnpm_dir" && TRUSTGRAD_WASM_THREADS=1 timeout 300 ./node_modules/.bin/trustgrad-bench run --preset smoke \
  --config experiment.yaml --out results/consumer >"$work/bench.log" 2>&1) ||
  { tail -30 "$work/bench.log" | cut -c1-400 >&2; fail "trustgrad-bench run in the pnpm consumer"; }
for file in results.json results.md report.html; do
  [ -s "$pnpm_dir/results/consumer/$file" ] || fail "trustgrad-bench wrote no $file"
done
grep -q '| ST+FMS | vg |' "$pnpm_dir/results/consumer/results.md" || fail "trustgrad-bench results lack the consumer's variant"
step "trustgrad-bench run --config ./experiment.yaml from the installed package"
say "all packed-install checks passed in $((SECONDS - start)) s"
