#!/usr/bin/env bash
# One-time set-up on a fresh machine with Node >= 20 and npm: pnpm, the
# workspace's dependencies, and the Fashion-MNIST data from Debian when missing.
# Safe to run again: every step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js >= 20 is required (found $(node --version 2>/dev/null || echo none)); install it from your OS or nodejs.org"
  exit 1
fi

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  say "installing pnpm $pnpm_version with npm"
  if ! npm install -g "pnpm@$pnpm_version" >/dev/null 2>&1; then
    say "global npm install failed (no permission?); installing pnpm into ./.cache/pnpm instead"
    npm install --prefix ./.cache/pnpm "pnpm@$pnpm_version" >/dev/null
    export PATH="$PWD/.cache/pnpm/node_modules/.bin:$PATH"
  fi
fi

say "installing workspace dependencies"
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=append-only >&2
else
  pnpm install --reporter=append-only >&2
fi

fmnist_dir=/usr/share/datasets/fashion-mnist
if [ -z "${TRUSTGRAD_FMNIST_DIR:-}" ] && [ ! -f "$fmnist_dir/train-images-idx3-ubyte.gz" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing Fashion-MNIST from Debian (dataset-fashion-mnist)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >&2
  else
    say "Fashion-MNIST not found in $fmnist_dir. Install it with 'sudo apt-get install dataset-fashion-mnist',"
    say "or download the four IDX .gz files from the Fashion-MNIST project and set TRUSTGRAD_FMNIST_DIR=/path/to/them."
  fi
fi
