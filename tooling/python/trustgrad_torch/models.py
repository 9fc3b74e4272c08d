"""The models of trustgrad's zoo, in PyTorch (NCHW)."""

from torch import nn


def fmnist_cnn() -> nn.Module:
    """core-tensor's `fmnistCnn()`: conv 3x3 'same' 32 + ReLU -> maxpool 2 -> conv 3x3 'same' 64 + ReLU
    -> maxpool 2 -> flatten 3136 -> dense 128 + ReLU -> dense 10 logits."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )
