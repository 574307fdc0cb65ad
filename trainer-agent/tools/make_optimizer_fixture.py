#!/usr/bin/env python3
"""Records what torch.optim does under a ramped LR, for the agent's optimizer test.

A tiny MLP (4 inputs, 8 hidden ReLU, 3 classes; the agent's Mlp at small size) starts from
fixed weights and trains 20 steps on fixed batches with a new LR every step (exponential ramp),
once per optimizer: SGD with momentum 0.9, Adam, AdamW, all with weight decay. For every step
the fixture holds the LR, the loss before the update and every weight after it.

  /usr/bin/python3 tools/make_optimizer_fixture.py \
      > src/test/resources/io/lrscope/agent/optim/torch-optimizers.json

Weights are row-major in PyTorch's [out, in] layout under the names 0.weight, 0.bias, 2.weight,
2.bias. Values are float32 written as exact decimals.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

INPUTS, HIDDEN, CLASSES = 4, 8, 3
STEPS, BATCH = 20, 8
CASES = [
    {"name": "sgd", "momentum": 0.9, "weightDecay": 0.01, "startLr": 1e-3, "endLr": 0.5},
    {"name": "adam", "momentum": 0.0, "weightDecay": 0.01, "startLr": 1e-4, "endLr": 0.1},
    {"name": "adamw", "momentum": 0.0, "weightDecay": 0.1, "startLr": 1e-4, "endLr": 0.1},
]


def flat(tensor):
    return [float(v) for v in tensor.detach().flatten().tolist()]


def weights_of(net):
    return {name: flat(t) for name, t in net.state_dict().items()}


def new_net(initial):
    net = nn.Sequential(nn.Linear(INPUTS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    net.load_state_dict({k: torch.tensor(v).reshape(net.state_dict()[k].shape)
                         for k, v in initial.items()})
    return net


def new_optimizer(case, net):
    if case["name"] == "sgd":
        return torch.optim.SGD(net.parameters(), lr=case["startLr"], momentum=case["momentum"],
                               weight_decay=case["weightDecay"])
    kind = torch.optim.Adam if case["name"] == "adam" else torch.optim.AdamW
    return kind(net.parameters(), lr=case["startLr"], weight_decay=case["weightDecay"])


def main():
    torch.set_num_threads(1)
    torch.manual_seed(7)
    initial = weights_of(nn.Sequential(
        nn.Linear(INPUTS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, CLASSES)))
    batches = []
    for _ in range(STEPS):
        x = torch.randn(BATCH, INPUTS)
        y = torch.randint(0, CLASSES, (BATCH,))
        batches.append({"x": [flat(row) for row in x], "y": [int(v) for v in y]})

    cases = []
    for case in CASES:
        ratio = case["endLr"] / case["startLr"]
        lrs = [case["startLr"] * ratio ** (i / (STEPS - 1)) for i in range(STEPS)]
        net = new_net(initial)
        opt = new_optimizer(case, net)
        losses, weights = [], []
        for step, batch in enumerate(batches):
            for group in opt.param_groups:
                group["lr"] = lrs[step]
            loss = F.cross_entropy(net(torch.tensor(batch["x"])), torch.tensor(batch["y"]))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(float(loss.item()))
            weights.append(weights_of(net))
        cases.append(dict(case, lrs=lrs, losses=losses, weightsAfterStep=weights))

    json.dump({
        "generator": "trainer-agent/tools/make_optimizer_fixture.py",
        "torch": torch.__version__,
        "inputs": INPUTS, "hidden": HIDDEN, "classes": CLASSES,
        "initialWeights": initial,
        "batches": batches,
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
