"""Writes wide-resnet-reference.json: the FMS authors' own PyTorch WideResNet
(BasicBlock / NetworkBlock / WideResNet copied from CIFAR-10/Gaussian.py of
dipkamal/robustness_plus_smoothing, without its denoise block) for WRN-10-2,
with every parameter and BN running statistic set by a formula,
`value[i] = a + b·sin(0.7·(offset + i) + 0.3)` over PyTorch's layout, run in
eval mode on a formula input `x[i] = 0.5·sin(0.11·i)` (NCHW, [2, 3, 32, 32]).
The test (paper-models.test.ts) rebuilds the same weights in tfjs layouts and
compares the logits, which checks the block order, the pre-activation
shortcuts and PyTorch's padding of the stride-2 convolutions.

Run: /usr/bin/python3 make-wide-resnet-reference.py
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, in_planes, out_planes, stride, dropRate=0.0):
        super(BasicBlock, self).__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_planes)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_planes, out_planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.droprate = dropRate
        self.equalInOut = (in_planes == out_planes)
        self.convShortcut = (not self.equalInOut) and nn.Conv2d(
            in_planes, out_planes, kernel_size=1, stride=stride, padding=0, bias=False) or None

    def forward(self, x):
        if not self.equalInOut:
            x = self.relu1(self.bn1(x))
        else:
            out = self.relu1(self.bn1(x))
        out = self.relu2(self.bn2(self.conv1(out if self.equalInOut else x)))
        out = self.conv2(out)
        return torch.add(x if self.equalInOut else self.convShortcut(x), out)


class NetworkBlock(nn.Module):
    def __init__(self, nb_layers, in_planes, out_planes, block, stride, dropRate=0.0):
        super(NetworkBlock, self).__init__()
        self.layer = nn.Sequential(*[
            block(i == 0 and in_planes or out_planes, out_planes, i == 0 and stride or 1, dropRate)
            for i in range(int(nb_layers))])

    def forward(self, x):
        return self.layer(x)


class WideResNet(nn.Module):
    def __init__(self, depth, num_classes, widen_factor=1):
        super(WideResNet, self).__init__()
        nChannels = [16, 16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        n = (depth - 4) / 6
        self.conv1 = nn.Conv2d(3, nChannels[0], kernel_size=3, stride=1, padding=1, bias=False)
        self.block1 = NetworkBlock(n, nChannels[0], nChannels[1], BasicBlock, 1)
        self.block2 = NetworkBlock(n, nChannels[1], nChannels[2], BasicBlock, 2)
        self.block3 = NetworkBlock(n, nChannels[2], nChannels[3], BasicBlock, 2)
        self.bn1 = nn.BatchNorm2d(nChannels[3])
        self.relu = nn.ReLU(inplace=True)
        self.fc = nn.Linear(nChannels[3], num_classes)
        self.nChannels = nChannels[3]

    def forward(self, x):
        out = self.conv1(x)
        out = self.block1(out)
        out = self.block2(out)
        out = self.block3(out)
        out = self.relu(self.bn1(out))
        out = F.avg_pool2d(out, 8)
        out = out.view(-1, self.nChannels)
        return self.fc(out)


DEPTH, WIDEN = 10, 2
model = WideResNet(DEPTH, 10, WIDEN).double().eval()
tensors = []
offset = 0
for name, t in model.state_dict().items():
    if name.endswith('num_batches_tracked'):
        continue
    if name.endswith('running_var'):
        a, b = 1.0, 0.5
    elif name.endswith('running_mean') or name.endswith('bias'):
        a, b = 0.0, 0.1
    elif t.dim() == 1:  # BN weight
        a, b = 1.0, 0.2
    else:
        fan_in = t[0].numel()
        a, b = 0.0, math.sqrt(3.0 / fan_in)
    k = torch.arange(t.numel(), dtype=torch.float64) + offset
    t.copy_((a + b * torch.sin(0.7 * k + 0.3)).reshape(t.shape))
    tensors.append({'name': name, 'shape': list(t.shape), 'a': a, 'b': b, 'offset': offset})
    offset += t.numel()

x = (0.5 * torch.sin(0.11 * torch.arange(2 * 3 * 32 * 32, dtype=torch.float64))).reshape(2, 3, 32, 32)
with torch.no_grad():
    logits = model(x)
json.dump({'depth': DEPTH, 'widenFactor': WIDEN, 'tensors': tensors,
           'logits': logits.ravel().tolist()}, open('wide-resnet-reference.json', 'w'), indent=1)
