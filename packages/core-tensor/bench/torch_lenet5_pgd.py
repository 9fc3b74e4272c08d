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
import time

import torch
from torch import nn
import torch.nn.functional as F


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
        x_adv = (x + torch.empty_like(x).uniform_(-eps, eps)).clamp(0, 1)
        for _ in range(steps):
            x_adv.requires_grad_(True)
            loss = F.cross_entropy(model(x_adv), labels)
            (grad,) = torch.autograd.grad(loss, x_adv)
            with torch.no_grad():
                x_adv = x_adv + alpha * grad.sign()
                x_adv = (x + (x_adv - x).clamp(-eps, eps)).clamp(0, 1)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x_adv.detach()), labels).backward()
        optimizer.step()

    def st_step() -> None:
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        count, threads = int(words[1]), int(words[2])
        torch.set_num_threads(threads)
        step = at_step if words[0] == "at" else st_step
        start = time.perf_counter()
        for _ in range(count):
            step()
        print((time.perf_counter() - start) * 1000 / count, flush=True)


if __name__ == "__main__":
    main()
