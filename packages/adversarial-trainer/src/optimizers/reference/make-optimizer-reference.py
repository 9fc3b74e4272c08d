"""Writes optimizer-reference.json: PyTorch's own optimisers run on fixed
parameters and fixed gradients, the reference the trustgrad optimisers are
tested against (optimizers.test.ts).

- radam:        torch.optim.RAdam (torch 1.13), its defaults, lr 1e-2
- ranger:       lessw2020/Ranger-Deep-Learning-Optimizer ranger/ranger.py (version
                20.4.11, commit c82a304), called as the FMS authors call it:
                Ranger(params, lr=8e-3, eps=1e-6)
- sgd_nesterov: torch.optim.SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4),
                lr / 10 after step 6 (MultiStepLR's milestone)

Tensors are stored in tfjs layouts (dense kernel [in, out], conv kernel
[kh, kw, in, out]) and converted to PyTorch's ([out, in], [out, in, kh, kw])
here, which matters for Ranger's gradient centralisation (a mean over every
axis but the output one).

Run: /usr/bin/python3 make-optimizer-reference.py /path/to/ranger/ranger.py
"""
import json
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1].rsplit('/', 1)[0])
from ranger import Ranger  # noqa: E402

STEPS = 14
rng = np.random.RandomState(0)
SHAPES = {'dense/kernel': [3, 4], 'dense/bias': [4], 'conv/kernel': [2, 2, 2, 3]}


def to_torch(name, a):
    if name == 'dense/kernel':
        return a.T.copy()
    if name == 'conv/kernel':
        return a.transpose(3, 2, 0, 1).copy()
    return a.copy()


def to_tfjs(name, a):
    if name == 'dense/kernel':
        return a.T.copy()
    if name == 'conv/kernel':
        return a.transpose(2, 3, 1, 0).copy()
    return a.copy()


params = {n: rng.randn(*s).astype(np.float32) for n, s in SHAPES.items()}
grads = [{n: (rng.randn(*s) * (1 + t % 3)).astype(np.float32) for n, s in SHAPES.items()}
         for t in range(STEPS)]


def run(make, lr_at=None):
    ps = {n: torch.nn.Parameter(torch.tensor(to_torch(n, v))) for n, v in params.items()}
    opt = make(list(ps.values()))
    after = []
    for t in range(STEPS):
        if lr_at is not None:
            for group in opt.param_groups:
                group['lr'] = lr_at(t)
        for n, p in ps.items():
            p.grad = torch.tensor(to_torch(n, grads[t][n]))
        opt.step()
        after.append({n: to_tfjs(n, p.detach().numpy()).ravel().tolist() for n, p in ps.items()})
    return after


cases = {
    'radam': run(lambda ps: torch.optim.RAdam(ps, lr=1e-2)),
    'ranger': run(lambda ps: Ranger(ps, lr=8e-3, eps=1e-6)),
    'sgd_nesterov': run(
        lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4),
        lr_at=lambda t: 0.1 if t < 6 else 0.01,
    ),
}
json.dump(
    {
        'torch': torch.__version__,
        'shapes': SHAPES,
        'params': {n: v.ravel().tolist() for n, v in params.items()},
        'grads': [{n: g.ravel().tolist() for n, g in step.items()} for step in grads],
        'cases': cases,
    },
    open('optimizer-reference.json', 'w'),
)
