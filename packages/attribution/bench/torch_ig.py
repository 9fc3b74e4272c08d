"""Integrated Gradients in plain PyTorch autograd, for the speed comparison of
packages/attribution/bench/ig-throughput.ts: the same FMNIST CNN as trustgrad's
fmnistCnn (conv 3x3 32 + ReLU, maxpool 2, conv 3x3 64 + ReLU, maxpool 2, dense 128
+ ReLU, dense 10 logits), the same IG (m steps, Gauss-Legendre nodes, zero
baseline, target = predicted class, the m*b path points in chunks of
`chunk` images, plus f(x) and f(b) for the completeness gap).

Prints one JSON line: {"maps_per_s": ..., "threads": ..., "torch": ...}.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tooling" / "python"))
from trustgrad_torch.models import fmnist_cnn  # noqa: E402


def integrated_gradients(model, x, target, steps, chunk):
    """(x - b) * sum_k w_k grad f_t(b + a_k (x - b)), b = 0, Gauss-Legendre on [0, 1]."""
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    alphas = torch.tensor((nodes + 1) / 2, dtype=torch.float32)
    w = torch.tensor(weights / 2, dtype=torch.float32)
    b = x.shape[0]
    baseline = torch.zeros_like(x)
    delta = x - baseline
    per_chunk = max(1, chunk // b)
    total = torch.zeros_like(x)
    for first in range(0, steps, per_chunk):
        a = alphas[first:first + per_chunk]
        count = a.shape[0]
        points = (baseline.unsqueeze(0) + a.view(-1, 1, 1, 1, 1) * delta.unsqueeze(0)).reshape(count * b, *x.shape[1:])
        points.requires_grad_(True)
        logits = model(points)
        selected = logits.gather(1, target.repeat(count).view(-1, 1)).sum()
        (grad,) = torch.autograd.grad(selected, points)
        total += (grad.view(count, b, *x.shape[1:]) * w[first:first + count].view(-1, 1, 1, 1, 1)).sum(0)
    attributions = delta * total
    with torch.no_grad():
        fx = model(x).gather(1, target.view(-1, 1)).squeeze(1)
        fb = model(baseline).gather(1, target.view(-1, 1)).squeeze(1)
    gap = attributions.flatten(1).sum(1) - (fx - fb)
    return attributions, gap


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=32)
    parser.add_argument("--chunk", type=int, default=64, help="images per forward/backward pass")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="0 = torch default")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = fmnist_cnn().eval()
    x = torch.rand(args.batch, 1, 28, 28)  # NCHW, PyTorch's native layout
    with torch.no_grad():
        target = model(x).argmax(1)
    integrated_gradients(model, x, target, args.steps, args.chunk)  # warm-up
    start = time.perf_counter()
    for _ in range(args.runs):
        _, gap = integrated_gradients(model, x, target, args.steps, args.chunk)
        gap.sum().item()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "maps_per_s": args.batch * args.runs / seconds,
        "seconds_per_batch": seconds / args.runs,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
