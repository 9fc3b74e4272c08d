"""PGD-L∞ in PyTorch, as trustgrad's `pgd-linf` attack runs it in the benches."""

import torch
import torch.nn.functional as F


def pgd_linf(model, x, y, eps: float, alpha: float, steps: int):
    """PGD-L∞ (Madry et al. 2018): start `x + U(-eps, eps)` clipped to [0, 1], then `steps` times
    `x_adv <- clip(x + clamp(x_adv + alpha * sign(grad) - x, -eps, eps), 0, 1)`, the gradient of the
    summed cross-entropy (trustgrad's `Σ_i loss_i`). Returns the adversarial batch, detached."""
    x_adv = (x + torch.empty_like(x).uniform_(-eps, eps)).clamp(0, 1)
    for _ in range(steps):
        x_adv.requires_grad_(True)
        loss = F.cross_entropy(model(x_adv), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, x_adv)
        with torch.no_grad():
            x_adv = x_adv + alpha * grad.sign()
            x_adv = (x + (x_adv - x).clamp(-eps, eps)).clamp(0, 1)
    return x_adv.detach()
