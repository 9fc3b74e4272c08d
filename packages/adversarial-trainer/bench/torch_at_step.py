"""PyTorch twin of at-step-cost.ts: cost of a PGD-7 adversarial training step
relative to a standard step for the same FMNIST CNN at batch 64, on CPU.

Runs the tfjs bench (tsx bench/at-step-cost.ts) as well and prints both ratios
side by side. Usage: python3 bench/torch_at_step.py [--steps 8] [--threads 1] [--no-tfjs]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tooling" / "python"))
from trustgrad_torch.models import fmnist_cnn  # noqa: E402
from trustgrad_torch.pgd import pgd_linf  # noqa: E402

# PGD-7 at ε = 0.1 with Madry's step 2.5·ε/steps, as at-step-cost.ts.
EPS, PGD_STEPS = 0.1, 7


def time_steps(adversarial: bool, steps: int, batch: int) -> float:
    torch.manual_seed(0)
    model = fmnist_cnn()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step():
        inputs = pgd_linf(model, x, y, EPS, 2.5 * EPS / PGD_STEPS, PGD_STEPS) if adversarial else x
        opt.zero_grad()
        F.cross_entropy(model(inputs), y).backward()
        opt.step()

    step()
    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return 1000 * (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (tfjs wasm runs one)")
    parser.add_argument("--no-tfjs", action="store_true", help="skip running the tfjs bench")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    std = time_steps(False, args.steps, args.batch)
    adv = time_steps(True, args.steps, args.batch)
    print(
        f"[torch_at_step] torch {torch.__version__} cpu ({args.threads} thread): standard {std:.1f} ms/step "
        f"({1000 * args.batch / std:.0f} img/s), PGD-7 AT {adv:.1f} ms/step ({1000 * args.batch / adv:.0f} img/s), "
        f"ratio {adv / std:.2f}x"
    )
    if args.no_tfjs:
        return
    here = os.path.dirname(os.path.abspath(__file__))
    package = os.path.dirname(here)
    tsx = os.path.join(package, "..", "..", "node_modules", ".bin", "tsx")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "tfjs.json")
        subprocess.run(
            [tsx, "--tsconfig", os.path.join(package, "tsconfig.source.json"), os.path.join(here, "at-step-cost.ts"),
             "--steps", str(args.steps), "--batch", str(args.batch), "--json", out],
            cwd=package, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        with open(out) as f:
            tfjs = json.load(f)
    print(f"[ratio] PGD-7 AT step / standard step: tfjs-{tfjs['backend']} {tfjs['ratio']:.2f}x "
          f"({tfjs['standardStepMs']} / {tfjs['pgd7StepMs']} ms), torch {adv / std:.2f}x ({std:.1f} / {adv:.1f} ms); bound ~8.5x")


if __name__ == "__main__":
    main()
