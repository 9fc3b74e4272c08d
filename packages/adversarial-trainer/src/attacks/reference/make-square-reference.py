"""Writes square-reference.json: AutoAttack's own Square attack (fra31/auto-attack
autoattack/square.py, commit a39220048b3c9f2cca9a4d3a54604793c68eca7e), norm
Linf, margin loss, on a fixed small MLP and fixed inputs, the reference
square-reference.test.ts checks `square` against.

Square is random search, so its random numbers are recorded: `random_choice`
and `random_int` are replaced by versions that draw uniforms u ∈ [0, 1) from a
fixed numpy stream and use them exactly as the originals use `torch.rand`
(`sign(2u − 1)`, `low + ⌊(high − low)·u⌋`); the list of u in draw order is
stored, and the test replays it through the attack's `rng`.

Model: flatten → dense(16, relu) → dense(4) on [6, 6, 1] inputs, the
ReferenceMlp of tooling/python/trustgrad_torch (kernels in tfjs layout [in, out]).

Run: /usr/bin/python3 make-square-reference.py /path/to/auto-attack
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[5] / "tooling" / "python"))
sys.path.insert(0, sys.argv[1])
from trustgrad_torch.reference_mlp import ReferenceMlp  # noqa: E402
from autoattack.square import SquareAttack  # noqa: E402

mlp = ReferenceMlp(np.random.RandomState(1), batch=12, h=6, w=6, hidden=16, classes=4, out_scale=0.6)
model, x = mlp.model, mlp.x
with torch.no_grad():
    y = model(x).argmax(1)

cases = []
for queries, rescale, eps in [(80, True, 0.05), (80, False, 0.05), (40, True, 0.1)]:
    stream = np.random.RandomState(queries + int(rescale))
    draws = []

    def random_choice(shape):
        u = stream.rand(*shape)
        draws.extend(u.ravel().tolist())
        return torch.sign(torch.from_numpy(2 * u - 1).float())

    def random_int(low=0, high=1, shape=[1]):
        u = stream.rand(*shape)
        draws.extend(u.ravel().tolist())
        return (low + (high - low) * torch.from_numpy(u)).long()

    a = SquareAttack(model, norm='Linf', n_queries=queries, eps=eps, p_init=.8, n_restarts=1,
                     seed=0, loss='margin', resc_schedule=rescale, device='cpu')
    a.random_choice = random_choice
    a.random_int = random_int
    a.init_hyperparam(x)
    with torch.no_grad():
        _, x_best = a.attack_single_run(x, y)
        logits = model(x_best)
    fooled = (logits.argmax(1) != y)
    cases.append({
        'queries': queries, 'rescaleSchedule': rescale, 'eps': eps, 'draws': draws,
        'fooled': fooled.tolist(), 'xAdv': x_best.permute(0, 2, 3, 1).reshape(-1).tolist(),
    })

json.dump({
    'source': 'fra31/auto-attack square.py @ a39220048b3c9f2cca9a4d3a54604793c68eca7e',
    'torch': torch.__version__, **mlp.json_fields(), 'y': y.tolist(), 'cases': cases,
}, open(sys.argv[2] if len(sys.argv) > 2 else 'square-reference.json', 'w'))
