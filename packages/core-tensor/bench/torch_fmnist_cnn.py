"""The FMNIST CNN of trustgrad's model zoo (fmnistCnn) in PyTorch, timed the same way as bench/perf.ts.

conv3x3 32 same relu -> maxpool2 -> conv3x3 64 same relu -> maxpool2 -> flatten 3136
-> dense 128 relu -> dense 10 logits; Adam, softmax cross-entropy on logits.
Prints one JSON object. Uses torch's default thread count.

With --serve it instead answers requests on stdin, one per line, so that
bench/perf.ts can interleave PyTorch and tfjs windows (both see the same
machine load): "train K" / "grad K" run K steps and print the mean ms per
step; "info" prints the engine and thread count as JSON; "quit" exits.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tooling" / "python"))
from trustgrad_torch.models import fmnist_cnn  # noqa: E402
from trustgrad_torch.serve import serve_steps  # noqa: E402


def windows_ms(step, warmup: int, windows: int, steps_per_window: int) -> list[float]:
    """Median-ready per-step times (ms) of `windows` timed windows after `warmup` steps."""
    for _ in range(warmup):
        step()
    out = []
    for _ in range(windows):
        start = time.perf_counter()
        for _ in range(steps_per_window):
            step()
        out.append((time.perf_counter() - start) * 1000 / steps_per_window)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--steps-per-window", type=int, default=5)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    torch.manual_seed(0)
    model = fmnist_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, 1, 28, 28)
    labels = torch.randint(0, 10, (args.batch,))

    def train_step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()
        loss.item()

    def input_gradient() -> None:
        xi = x.clone().requires_grad_(True)
        logits = model(xi)
        (grad,) = torch.autograd.grad(logits.gather(1, labels[:, None]).sum(), xi)
        grad.sum().item()

    if args.serve:
        serve_steps(
            {"train": train_step, "grad": input_gradient},
            # "train K" times training mode, "grad K" the input gradient in eval mode.
            before=lambda name: model.train(name == "train"),
            info=lambda: {"engine": f"pytorch {torch.__version__}", "threads": torch.get_num_threads()},
        )
        return

    timing = dict(warmup=args.warmup, windows=args.windows, steps_per_window=args.steps_per_window)
    train = windows_ms(train_step, **timing)
    model.eval()
    grad = windows_ms(input_gradient, **timing)
    train_ms = statistics.median(train)
    print(
        json.dumps(
            {
                "engine": f"pytorch {torch.__version__}",
                "threads": torch.get_num_threads(),
                "batch": args.batch,
                "trainStepMs": train_ms,
                "trainImagesPerSecond": args.batch * 1000 / train_ms,
                "trainStepWindowsMs": train,
                "inputGradientMs": statistics.median(grad),
                "inputGradientWindowsMs": grad,
            }
        )
    )



if __name__ == "__main__":
    main()
