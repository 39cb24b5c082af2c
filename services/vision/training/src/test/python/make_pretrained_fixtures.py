"""Writes the fixtures that prove our weight import exact, with PyTorch, torchvision and timm.

Run through make-pretrained-fixtures.sh (it makes the virtualenv). The outputs are committed under
src/test/resources/pretrained/ of vision-core (the readers) and vision-training (the network), so the
Java tests need no Python:

- tensors.pth, tensors.safetensors, nested.pth, legacy.pth, evil-*.pth and tensors.json: small files
  written by torch.save / safetensors and the values they hold, for the readers (vision-core).
- training-steps.json (vision-training): ten fp32 optimizer steps of the recipe from formula weights on
  formula batches (loss per step; weights and BatchNorm statistics after step 1).
- training-steps-float64.json (vision-training): the same in float64, once with the warm-up + cosine and
  once with the warm-up + step schedule (loss per step; weights and BatchNorm statistics after steps 1
  and 10). --training-only writes just these two.
- logits.json (vision-training): the logits of torchvision's resnet50, the paper's model (resnet50 with a 2x2
  average pool before the Stage-4 shortcut's now stride-1 convolution) and timm's resnet50d, in
  eval mode and in train mode (batch statistics), for weights and inputs made by `formula` below.
  The Java test makes the same tensors with the same formula (FormulaWeights), imports them through
  the torchvision/timm key mapping, and compares. The running statistics of two BatchNorms after
  the train-mode forward pass are recorded too (PyTorch's momentum 0.1, unbiased variance).

The formula only uses integer arithmetic and one float64 multiplication rounded to float32, which
numpy and Java do identically, so no weights need to be committed (resnet50 is 100 MB).
"""

import argparse
import io
import json
import math
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import safetensors.torch
import timm
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

FORMULA_VERSION = 1
CLASSES = 10
# 96 px: Stage 4 sees 3x3, so train-mode BatchNorm there averages 36 values per channel. At 64 px (16
# values) its batch statistics amplify fp32 rounding so much that PyTorch with 1 and with 2 threads
# differs by 1.1e-4 in the logits; at 96 px by at most 5e-5, under the 1e-4 the import must meet.
INPUT_SHAPE = (4, 3, 96, 96)
# BatchNorms whose running statistics after one train-mode forward pass are recorded.
TRACKED_NORMS = ["bn1", "layer4.2.bn2"]


def java_string_hash(text):
    """Java's String.hashCode as an unsigned 32-bit value (the per-tensor salt)."""
    h = 0
    for ch in text:
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h


def uniform(name, count):
    """count values in [-0.5, 0.5), a multiplicative hash of the element index salted by the name."""
    index = np.arange(1, count + 1, dtype=np.uint64)
    salt = np.uint64(java_string_hash(name))
    mixed = (index * np.uint64(2654435761) + salt * np.uint64(40503)) & np.uint64(0xFFFFFFFF)
    return (mixed >> np.uint64(8)).astype(np.float64) / 16777216.0 - 0.5


def formula(name, shape):
    """The value of state-dict tensor `name`: He-like convolutions, BN near identity, small biases."""
    count = int(np.prod(shape)) if len(shape) else 1
    x = uniform(name, count)
    if name == "input":
        values = x * math.sqrt(12.0)
    elif name.endswith("running_var"):
        values = 1.0 + 0.8 * x
    elif name.endswith("running_mean") or name.endswith(".bias"):
        values = 0.2 * x
    elif len(shape) == 4:
        fan_in = shape[1] * shape[2] * shape[3]
        values = x * math.sqrt(24.0 / fan_in)
    elif len(shape) == 2:
        values = x * math.sqrt(12.0 / shape[1])
    elif name.endswith("bn3.weight"):
        # the BN closing a bottleneck's branch: small, so sixteen blocks do not blow the signal up
        values = 0.25 + 0.2 * x
    else:
        values = 1.0 + 0.2 * x
    return torch.from_numpy(values.astype(np.float32).reshape(shape))


def formula_state(model):
    state = OrderedDict()
    for name, tensor in model.state_dict().items():
        if name.endswith("num_batches_tracked"):
            state[name] = torch.zeros((), dtype=torch.int64)
        else:
            state[name] = formula(name, tuple(tensor.shape))
    return state


class PooledShortcut(nn.Sequential):
    """torchvision's (conv, bn) shortcut with a 2x2 average pool first: the same state-dict keys."""

    def forward(self, x):
        return super().forward(F.avg_pool2d(x, 2, 2, ceil_mode=True, count_include_pad=False))


def paper_resnet50():
    model = torchvision.models.resnet50(num_classes=CLASSES)
    shortcut = model.layer4[0].downsample
    shortcut[0].stride = (1, 1)
    model.layer4[0].downsample = PooledShortcut(shortcut[0], shortcut[1])
    return model


MODELS = {
    "resnet50": lambda: torchvision.models.resnet50(num_classes=CLASSES),
    "resnet50-paper": paper_resnet50,
    "resnet50d": lambda: timm.create_model("resnet50d", pretrained=False, num_classes=CLASSES),
}


def short(value):
    """Nine significant digits: more than float32 holds, and a fixture a third the size."""
    return float(f"{float(value):.9g}")


def rows(tensor):
    return [[short(v) for v in row] for row in tensor.detach().double().numpy()]


def logits_fixture():
    torch.set_num_threads(1)
    inputs = formula("input", INPUT_SHAPE)
    result = {
        "formulaVersion": FORMULA_VERSION,
        "classes": CLASSES,
        "inputShape": list(INPUT_SHAPE),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "timm": timm.__version__,
        "models": {},
    }
    for preset, make in MODELS.items():
        entry = {}
        with torch.no_grad():
            model = make()
            model.load_state_dict(formula_state(model))
            model.eval()
            entry["eval"] = rows(model(inputs))
            model = make()
            model.load_state_dict(formula_state(model))
            model.train()
            entry["train"] = rows(model(inputs))
            state = model.state_dict()
            entry["runningStats"] = {
                norm: {
                    "mean": [short(v) for v in state[norm + ".running_mean"]],
                    "var": [short(v) for v in state[norm + ".running_var"]],
                }
                for norm in TRACKED_NORMS
            }
        entry["keys"] = len(model.state_dict())
        entry["parameters"] = sum(p.numel() for p in model.parameters())
        magnitude = max(abs(v) for row in entry["eval"] + entry["train"] for v in row)
        print(f"{preset}: {entry['keys']} state-dict tensors, max |logit| {magnitude:.3f}")
        result["models"][preset] = entry
    return result


# The recipe, step by step: resnet18 with the small stem, formula weights and batches, PyTorch's
# own SGD and loss. TrainingEqualityTest runs our TrainingStep on the same and compares. In fp32 only
# the first two steps can be compared tightly: from the third on, fp32 rounding differences grow
# chaotically in this setup (PyTorch against itself: 1 vs 2 threads differ by ~0.1 in the loss by
# step 10, contiguous vs channels-last by ~0.13, a 1e-6 change of one bias by ~0.04), so the later
# fp32 losses are recorded for reference only. The float64 fixture (training-steps-float64.json) runs
# the same recipe in float64, where rounding is ~1e-16 and stays far below a tight tolerance after
# ten steps; TrainingEqualityFloat64Test compares all of it.
STEP_BATCH = (8, 3, 16, 16)
STEPS = 10
RECIPE = {"learningRate": 0.02, "finalLearningRate": 0.0, "warmupSteps": 3, "momentum": 0.9, "nesterov": True,
          "weightDecay": 5e-4, "labelSmoothing": 0.1}
# StepSchedule for the float64 fixture: x0.1 at 50% and 75% of the ten steps (0-based steps 5 and 8),
# so both drops happen after the warm-up and inside the run.
STEP_SCHEDULE = {"milestoneFractions": [0.5, 0.75], "gamma": 0.1}
# tensors whose values are compared in full after step 1: small ones, and running statistics
TRACKED = ["bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "layer3.0.downsample.1.running_var",
           "layer4.1.bn2.weight", "layer4.1.bn2.running_mean", "fc.bias"]
# the same after steps 1 and 10 of both float64 runs, but for the two 512-element ones: at full precision
# they would double the fixture, and the sums still cover Stage 4
FLOAT64_TRACKED = [k for k in TRACKED if not k.startswith("layer4.")]
# What our network's BatchNorm hands libtorch: DJL takes momentum and eps as Java floats and passes
# (double) (1f - 0.9f) and (double) 1e-5f. In fp32 the difference to PyTorch's 0.1 and 1e-5 is below
# rounding; in float64 it is not (2.4e-7 relative on momentum), so the float64 fixture uses these.
DJL_BN_MOMENTUM = float(np.float32(1.0) - np.float32(0.9))
DJL_BN_EPS = float(np.float32(1e-5))


def small_resnet18():
    model = torchvision.models.resnet18(num_classes=CLASSES)
    model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)  # our small stem: 3x3/1, no max-pool
    model.maxpool = nn.Identity()
    return model


def step_labels(step):
    return torch.tensor([(3 * step + 7 * i) % CLASSES for i in range(STEP_BATCH[0])])


def warmup(step):
    """LearningRateSchedule.warmup: base * (step + 1) / warmup, so the first step is not at LR 0."""
    return RECIPE["learningRate"] * (step + 1) / RECIPE["warmupSteps"]


def learning_rate(step):
    """CosineWarmupSchedule: linear warm-up to the base LR, then cosine to the final LR at the last step."""
    base, final, warmup_steps = RECIPE["learningRate"], RECIPE["finalLearningRate"], RECIPE["warmupSteps"]
    if step < warmup_steps:
        return warmup(step)
    progress = min(1.0, (step - warmup_steps) / (STEPS - warmup_steps))
    return final + (base - final) * 0.5 * (1 + math.cos(math.pi * progress))


def step_learning_rate(step):
    """StepSchedule: the same warm-up, then the base LR times gamma per milestone passed."""
    if step < RECIPE["warmupSteps"]:
        return warmup(step)
    # Java's Math.round(f * total): half up, unlike Python's round
    milestones = [math.floor(f * STEPS + 0.5) for f in STEP_SCHEDULE["milestoneFractions"]]
    passed = sum(1 for m in milestones if step >= m)
    return RECIPE["learningRate"] * STEP_SCHEDULE["gamma"] ** passed


def train_recipe(dtype, schedule, snapshot_steps, tracked, value, batch_norm=None):
    """STEPS steps of the recipe in `dtype`: the losses, and snapshots after `snapshot_steps` (1-based).

    tracked: the tensors a snapshot holds in full (it holds every tensor's sum and sum of squares).
    value: how a number is written to the fixture.
    batch_norm: (momentum, eps) for every BatchNorm instead of PyTorch's defaults (0.1, 1e-5).
    """
    torch.set_num_threads(1)
    model = small_resnet18()
    model.load_state_dict(formula_state(model))  # float32 values, exact in float64 too
    model.to(dtype)
    if batch_norm is not None:
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.momentum, module.eps = batch_norm
    model.train()
    decayed = [p for n, p in model.named_parameters() if p.dim() > 1]  # conv and linear weights only
    others = [p for n, p in model.named_parameters() if p.dim() <= 1]
    optimizer = torch.optim.SGD([{"params": decayed, "weight_decay": RECIPE["weightDecay"]},
                                 {"params": others, "weight_decay": 0.0}],
                                lr=RECIPE["learningRate"], momentum=RECIPE["momentum"], nesterov=RECIPE["nesterov"])
    loss_fn = nn.CrossEntropyLoss(label_smoothing=RECIPE["labelSmoothing"])
    losses, snapshots = [], {}
    for step in range(STEPS):
        for group in optimizer.param_groups:
            group["lr"] = schedule(step)
        optimizer.zero_grad()
        loss = loss_fn(model(formula(f"batch{step}", STEP_BATCH).to(dtype)), step_labels(step))
        loss.backward()
        optimizer.step()
        losses.append(value(loss.item()))
        if step + 1 in snapshot_steps:
            state = model.state_dict()
            snapshots[str(step + 1)] = {
                "tracked": {k: [value(v) for v in state[k].reshape(-1)] for k in tracked},
                # every tensor's sum and sum of squares, so that no tensor can drift unseen
                "sums": {k: [value(v.double().sum()), value((v.double() ** 2).sum())]
                         for k, v in state.items() if v.is_floating_point()},
            }
    return losses, snapshots


def training_fixture():
    losses, snapshots = train_recipe(torch.float32, learning_rate, {1}, TRACKED, short)
    print("training: losses", losses)
    return {"batchShape": list(STEP_BATCH), "steps": STEPS, "recipe": RECIPE, "losses": losses,
            "after": snapshots, "torch": torch.__version__}


def training_fixture_float64():
    """Both schedules in float64, every value at full precision, snapshots after steps 1 and 10."""
    schedules = {}
    for name, schedule, extra in (("cosine", learning_rate, {}), ("step", step_learning_rate, STEP_SCHEDULE)):
        losses, snapshots = train_recipe(torch.float64, schedule, {1, STEPS}, FLOAT64_TRACKED, float,
                                         batch_norm=(DJL_BN_MOMENTUM, DJL_BN_EPS))
        print(f"training float64, {name} schedule: losses", losses)
        schedules[name] = {**extra, "learningRates": [schedule(s) for s in range(STEPS)], "losses": losses,
                           "after": snapshots}
    return {"dtype": "float64", "batchShape": list(STEP_BATCH), "steps": STEPS, "recipe": RECIPE,
            "batchNorm": {"momentum": DJL_BN_MOMENTUM, "eps": DJL_BN_EPS}, "schedules": schedules,
            "torch": torch.__version__}


def write_training_fixtures(out):
    with open(os.path.join(out, "training-steps.json"), "w") as f:
        json.dump(training_fixture(), f)
    with open(os.path.join(out, "training-steps-float64.json"), "w") as f:
        json.dump(training_fixture_float64(), f, separators=(",", ":"))


def reader_tensors():
    base = torch.arange(20, dtype=torch.float32).reshape(4, 5) / 7
    return OrderedDict(
        [
            ("f32", torch.arange(6, dtype=torch.float32).reshape(2, 3) / 7),
            ("f16", (torch.arange(6, dtype=torch.float32).reshape(2, 3) / 7 - 0.3).half()),
            ("bf16", (torch.arange(6, dtype=torch.float32).reshape(3, 2) / 7 + 100).bfloat16()),
            ("f64", torch.arange(4, dtype=torch.float64) / 3),
            ("i64", torch.tensor([3, -1, 7], dtype=torch.int64)),
            ("scalar", torch.tensor(2.5)),
            ("base", base),
            # views share base's storage: an offset and a non-contiguous stride to honour
            ("view", base[1:3, 1:4]),
            ("transposed", base.t()),
        ]
    )


def describe(tensors):
    out = OrderedDict()
    for name, tensor in tensors.items():
        out[name] = {
            "dtype": str(tensor.dtype).replace("torch.", ""),
            "shape": list(tensor.shape),
            "values": [float(v) for v in tensor.double().reshape(-1)],
        }
    return out


class Exploit:
    """What a malicious checkpoint holds: unpickling it would run a shell command."""

    def __reduce__(self):
        return (os.system, ("echo this-must-never-run",))


def evil_pth(path, payload):
    """A torch-style zip whose data.pkl builds something else than tensors."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evil/data.pkl", pickle.dumps(payload, protocol=2))
        archive.writestr("evil/version", "3\n")


def reader_fixtures(out):
    tensors = reader_tensors()
    torch.save(tensors, os.path.join(out, "tensors.pth"))
    torch.save(tensors, os.path.join(out, "legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save({"epoch": 3, "arch": "tiny", "state_dict": OrderedDict(f32=tensors["f32"])},
               os.path.join(out, "nested.pth"))
    safetensors.torch.save_file(
        {name: t.contiguous().clone() for name, t in tensors.items()},
        os.path.join(out, "tensors.safetensors"),
        metadata={"format": "pt"},
    )
    evil_pth(os.path.join(out, "evil-system.pth"), OrderedDict(weight=Exploit()))
    evil_pth(os.path.join(out, "evil-eval.pth"), {"weight": eval})
    with open(os.path.join(out, "tensors.json"), "w") as f:
        json.dump({"torch": torch.__version__, "tensors": describe(tensors)}, f, indent=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--training-only", action="store_true",
                        help="write only training-steps*.json, leaving the other fixtures as they are (the "
                             "readers' binary ones change their bytes, not their meaning, on every run)")
    parser.add_argument("reader_out", help="the readers' fixture folder (vision-core test resources)")
    parser.add_argument("logits_out", help="the network's fixture folder (vision-training test resources)")
    args = parser.parse_args()
    for folder in (args.reader_out, args.logits_out):
        os.makedirs(folder, exist_ok=True)
    if not args.training_only:
        reader_fixtures(args.reader_out)
        with open(os.path.join(args.logits_out, "logits.json"), "w") as f:
            json.dump(logits_fixture(), f)
    write_training_fixtures(args.logits_out)
    print("wrote", sorted(os.listdir(args.reader_out)), sorted(os.listdir(args.logits_out)))


if __name__ == "__main__":
    main()
