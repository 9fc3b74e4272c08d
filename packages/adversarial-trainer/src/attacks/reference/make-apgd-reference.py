"""Writes apgd-reference.json: AutoAttack's own APGD (fra31/auto-attack
autoattack/autopgd_base.py, commit a39220048b3c9f2cca9a4d3a54604793c68eca7e)
run on a fixed small MLP and fixed inputs, the reference apgd-reference.test.ts
checks apgd-ce, apgd-dlr and apgd-t against.

`attack_single_run(x, y, x_init=x)` is called, so the run starts at the clean
input and no random numbers are drawn: trustgrad's attacks run with
`randomStart: false` and must then follow the same iterates (step 2ε,
momentum 0.75, the checkpoints and their halvings, best-loss tracking).
APGD-T's target is the second most likely class (`n_target_classes` 1).

Model: flatten → dense(16, relu) → dense(4) on [6, 6, 1] inputs, the
ReferenceMlp of tooling/python/trustgrad_torch (kernels in tfjs layout [in, out]).

Run: /usr/bin/python3 make-apgd-reference.py /path/to/auto-attack
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[5] / "tooling" / "python"))
sys.path.insert(0, sys.argv[1])
from trustgrad_torch.reference_mlp import ReferenceMlp  # noqa: E402
from autoattack.autopgd_base import APGDAttack, APGDAttack_targeted  # noqa: E402

torch.set_grad_enabled(True)
STEPS = 20
mlp = ReferenceMlp(np.random.RandomState(0), batch=12, h=6, w=6, hidden=16, classes=4, out_scale=0.25)
model, x = mlp.model, mlp.x
y = model(x).argmax(1)
cases = []
for attack, norm, eps in [
    ('apgd-ce', 'Linf', 0.03), ('apgd-dlr', 'Linf', 0.03), ('apgd-t', 'Linf', 0.03),
    ('apgd-ce', 'L2', 0.25), ('apgd-dlr', 'L2', 0.25), ('apgd-t', 'L2', 0.25),
]:
    if attack == 'apgd-t':
        a = APGDAttack_targeted(model, n_iter=STEPS, norm=norm, n_restarts=1, eps=eps, seed=0,
                                rho=.75, n_target_classes=1, device='cpu')
        a.y_target = model(x).sort(dim=1)[1][:, -2]
    else:
        a = APGDAttack(model, n_iter=STEPS, norm=norm, n_restarts=1, eps=eps, seed=0,
                       loss=attack.split('-')[1], rho=.75, device='cpu')
    a.init_hyperparam(x)
    x_best, acc, loss_best, x_best_adv = a.attack_single_run(x, y, x_init=x.clone())
    fooled = ~acc.bool()
    out = torch.where(fooled.view(-1, 1, 1, 1), x_best_adv, x_best)
    cases.append({
        'attack': attack, 'norm': norm.lower(), 'eps': eps,
        'fooled': fooled.tolist(),
        'lossBest': loss_best.tolist(),
        'xAdv': out.permute(0, 2, 3, 1).reshape(-1).tolist(),
    })

json.dump({
    'source': 'fra31/auto-attack autopgd_base.py @ a39220048b3c9f2cca9a4d3a54604793c68eca7e',
    'torch': torch.__version__, 'steps': STEPS, **mlp.json_fields(), 'y': y.tolist(), 'cases': cases,
}, open(sys.argv[2] if len(sys.argv) > 2 else 'apgd-reference.json', 'w'))
