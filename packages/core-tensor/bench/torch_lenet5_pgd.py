"""LeNet-5 PGD-40 adversarial training step in PyTorch, timed like bench/lenet5-pgd-at.ts.

conv 6@5x5 valid -> ReLU -> maxpool 2 -> conv 16@5x5 valid -> ReLU -> maxpool 2
-> fc 120 ReLU -> fc 84 ReLU -> fc 10 logits; Adam 1e-3, softmax cross-entropy.
One AT step: PGD-L-inf (eps 0.1, step 0.01, 40 steps, uniform random start,
clip to [0, 1]) on the batch, then one Adam step on the adversarial batch.

Serves requests on stdin, one per line, so that the tfjs bench can interleave
its windows with ours: "at K T" runs K AT steps with T threads and prints the
mean ms per step, "st K T" the same for standard-training steps (Adam on the
clean batch); "quit" exits.
"""

import sys
from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tooling" / "python"))
from trustgrad_torch.pgd import pgd_linf  # noqa: E402
from trustgrad_torch.serve import serve_steps  # noqa: E402


def lenet5() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def main() -> None:
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    torch.manual_seed(0)
    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 1, 28, 28)
    labels = torch.randint(0, 10, (batch,))
    eps, alpha, steps = 0.1, 0.01, 40

    def at_step() -> None:
        x_adv = pgd_linf(model, x, labels, eps, alpha, steps)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x_adv), labels).backward()
        optimizer.step()

    def st_step() -> None:
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()

    serve_steps({"at": at_step, "st": st_step})


if __name__ == "__main__":
    main()
