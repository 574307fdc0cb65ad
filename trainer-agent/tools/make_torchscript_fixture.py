#!/usr/bin/env python3
"""Writes the TorchScript test module: nn.Sequential(Linear(64, 16), ReLU, Linear(16, 10)),
seed 0, scripted and saved with Debian's python3-torch (/usr/bin/python3). DJL 0.36's
PyTorch 2.7.1 loads modules saved by this older torch.

  tools/make_torchscript_fixture.py [OUT=src/test/resources/io/lrscope/agent/model/mlp-64-16-10.pt]
"""
import sys

import torch
import torch.nn as nn

out = sys.argv[1] if len(sys.argv) > 1 else \
    "src/test/resources/io/lrscope/agent/model/mlp-64-16-10.pt"
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10))
torch.jit.script(net).save(out)
print("wrote", out, "torch", torch.__version__)
