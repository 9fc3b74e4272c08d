"""The stdin timing protocol of the torch bench children.

A tfjs bench spawns a torch script and sends it one request a line, so that
its own timing windows and torch's interleave and both see the same machine
load (see core-tensor's bench/perf.ts, lenet5-pgd-at.ts, cifar-resnet20-step.ts).
"""

import json
import sys
import time

import torch


def serve_steps(steps, *, before=None, info=None) -> None:
    """Answers requests on stdin until "quit" or end of input:

    - "NAME K [T]": runs `steps[NAME]()` K times (with T torch threads when T is given) and prints
      the mean ms per step; `before(NAME)` runs first when given (e.g. to switch train/eval mode);
    - "info": prints `info()` as JSON (only when `info` is given);
    - "quit": returns.
    """
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "info" and info is not None:
            print(json.dumps(info()), flush=True)
            continue
        step, count = steps[words[0]], int(words[1])
        if len(words) > 2:
            torch.set_num_threads(int(words[2]))
        if before is not None:
            before(words[0])
        start = time.perf_counter()
        for _ in range(count):
            step()
        print((time.perf_counter() - start) * 1000 / count, flush=True)
