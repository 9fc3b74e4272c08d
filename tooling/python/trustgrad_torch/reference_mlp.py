"""The fixed small MLP the attack reference JSONs describe.

flatten -> dense(hidden, relu) -> dense(classes) on [h, w, 1] inputs: one
channel, so NHWC (tfjs) and NCHW (torch) flatten alike. adversarial-trainer's
`referenceMlp()` (src/testing/attack-fixtures.ts) rebuilds it from the JSON.
"""

import numpy as np
import torch


class ReferenceMlp:
    """The MLP's weights and inputs, drawn from `rng` in a fixed order (k1, b1, k2, b2, then x), and the
    torch model with those weights (eval mode). Kernels are kept in tfjs layout ([in, out])."""

    def __init__(self, rng: np.random.RandomState, batch: int, h: int, w: int, hidden: int, classes: int,
                 out_scale: float) -> None:
        self.batch, self.h, self.w, self.hidden, self.classes = batch, h, w, hidden, classes
        self.k1 = (rng.randn(h * w, hidden) * 0.4).astype(np.float32)
        self.b1 = (rng.randn(hidden) * 0.1).astype(np.float32)
        self.k2 = (rng.randn(hidden, classes) * out_scale).astype(np.float32)
        self.b2 = (rng.randn(classes) * 0.1).astype(np.float32)
        self.x_nhwc = rng.rand(batch, h, w, 1).astype(np.float32)
        self.model = torch.nn.Sequential(
            torch.nn.Flatten(), torch.nn.Linear(h * w, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, classes)
        )
        with torch.no_grad():
            self.model[1].weight.copy_(torch.from_numpy(self.k1.T.copy()))
            self.model[1].bias.copy_(torch.from_numpy(self.b1))
            self.model[3].weight.copy_(torch.from_numpy(self.k2.T.copy()))
            self.model[3].bias.copy_(torch.from_numpy(self.b2))
        self.model.eval()
        #: The inputs as torch wants them, NCHW.
        self.x = torch.from_numpy(self.x_nhwc.transpose(0, 3, 1, 2).copy())

    def json_fields(self) -> dict:
        """What `ReferenceMlp` of attack-fixtures.ts reads: shape, weights, hidden, classes, and the inputs x."""
        return {
            'shape': [self.batch, self.h, self.w, 1],
            'weights': {'k1': self.k1.reshape(-1).tolist(), 'b1': self.b1.tolist(),
                        'k2': self.k2.reshape(-1).tolist(), 'b2': self.b2.tolist()},
            'hidden': self.hidden, 'classes': self.classes,
            'x': self.x_nhwc.reshape(-1).tolist(),
        }
