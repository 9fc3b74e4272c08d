"""CIFAR ResNet-20 training step in PyTorch, timed like bench/cifar-resnet20-step.ts.

He et al. 2016 ResNet-20 as core-tensor's zoo builds it (cifarResNet()): 3x3
stem conv 16 + BN + ReLU, three stages of 3 basic blocks at 16/32/64 filters
(stride 2 into stages 2 and 3, 1x1 conv + BN projection shortcuts where the
shape changes, no conv biases), global average pooling, dense 10 logits.
One step: forward, softmax cross-entropy, backward, SGD momentum 0.9 on a
fixed random batch.

Serves requests on stdin: "train K T" runs K steps with T threads and prints
the mean ms per step; "quit" exits.
"""

import sys
from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tooling" / "python"))
from trustgrad_torch.serve import serve_steps  # noqa: E402


class Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.a = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn_a = nn.BatchNorm2d(cout)
        self.b = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn_b = nn.BatchNorm2d(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn_a(self.a(x)))
        y = self.bn_b(self.b(y))
        return F.relu(y + (self.proj(x) if self.proj is not None else x))


def resnet20(width: int = 16, classes: int = 10) -> nn.Module:
    layers = [nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    cin = width
    for stage in range(3):
        cout = width * 2**stage
        for block in range(3):
            layers.append(Block(cin, cout, 2 if stage > 0 and block == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes)]
    return nn.Sequential(*layers)


def main() -> None:
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 128
    torch.manual_seed(0)
    model = resnet20()
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(batch, 3, 32, 32)
    labels = torch.randint(0, 10, (batch,))

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()

    serve_steps({"train": step})


if __name__ == "__main__":
    main()
