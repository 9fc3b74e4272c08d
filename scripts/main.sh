#!/usr/bin/env bash
# The main job, end to end on the embedded default backend: set-up, then the
# fmnist-quick experiment (ST, ST+FMS, AT, AT+FMS on real Fashion-MNIST),
# leaving results/fmnist-quick/{results.json,results.md,report.html,...}.
# Extra arguments go to `bench run` (e.g. --set training.epochs=1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.cache/pnpm/node_modules/.bin:$PATH"
pnpm bench run --preset fmnist-quick --out results/fmnist-quick "$@"
