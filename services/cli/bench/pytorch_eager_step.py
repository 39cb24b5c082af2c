"""PyTorch eager's training step on the same synthetic batch as `mlops benchmark`, for
training-vs-pytorch.sh. Builds the zoo's ResNet the way torchvision v1.5 does (stride on the 3x3,
zero-initialised last BN gamma, small stem: 3x3 conv stride 1, no max-pool; optional Stage-4
average-pool shortcut) and runs the same step: forward, label-smoothed cross entropy, backward,
Nesterov SGD (momentum 0.9, weight decay 5e-4 on conv/linear weights only), zero_grad.
Prints one row: img/s, s/step, phases and peak RSS (VmHWM)."""
import argparse
import time

import torch
from torch import nn


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_ch, width, stride, avg_pool_shortcut):
        super().__init__()
        out_ch = width * self.expansion
        self.main = nn.Sequential(
            nn.Conv2d(in_ch, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
            nn.Conv2d(width, out_ch, 1, bias=False), nn.BatchNorm2d(out_ch))
        nn.init.zeros_(self.main[-1].weight)
        self.shortcut = nn.Identity()
        if stride != 1 or in_ch != out_ch:
            layers = []
            if avg_pool_shortcut and stride > 1:
                layers += [nn.AvgPool2d(stride, stride, ceil_mode=True, count_include_pad=False),
                           nn.Conv2d(in_ch, out_ch, 1, bias=False)]
            else:
                layers += [nn.Conv2d(in_ch, out_ch, 1, stride, bias=False)]
            self.shortcut = nn.Sequential(*layers, nn.BatchNorm2d(out_ch))

    def forward(self, x):
        return torch.relu(self.main(x) + self.shortcut(x))


def resnet50(classes, channels, small_stem, avg_pool_stages):
    if small_stem:
        layers = [nn.Conv2d(channels, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)]
    else:
        layers = [nn.Conv2d(channels, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
                  nn.MaxPool2d(3, 2, 1)]
    in_ch = 64
    for stage, (blocks, width) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512]), start=1):
        for i in range(blocks):
            stride = 2 if stage > 1 and i == 0 else 1
            layers.append(Bottleneck(in_ch, width, stride, stage in avg_pool_stages))
            in_ch = width * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(in_ch, classes)]
    net = nn.Sequential(*layers)
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    return net


def peak_rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="resnet50-small",
                   choices=["resnet50-small", "resnet50-paper-small", "resnet50", "resnet50-paper"])
    p.add_argument("--input-size", type=int, default=32)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--memory-format", default="contiguous", choices=["contiguous", "channels_last"])
    p.add_argument("--warmup-steps", type=int, default=2)
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--print-parameters", action="store_true", help="print the learnable parameter count and exit")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = resnet50(a.classes, a.channels, a.model.endswith("-small"), {4} if "paper" in a.model else set())
    if a.print_parameters:
        print(sum(t.numel() for t in net.parameters()))
        return
    fmt = torch.channels_last if a.memory_format == "channels_last" else torch.contiguous_format
    net = net.to(memory_format=fmt).train()
    decayed = [t for n, t in net.named_parameters() if t.dim() > 1]
    others = [t for n, t in net.named_parameters() if t.dim() <= 1]
    opt = torch.optim.SGD([{"params": decayed, "weight_decay": 5e-4}, {"params": others, "weight_decay": 0}],
                          lr=0.01, momentum=0.9, nesterov=True)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    x = torch.randn(a.batch_size, a.channels, a.input_size, a.input_size).contiguous(memory_format=fmt)
    y = torch.randint(0, a.classes, (a.batch_size,))
    phases = [0.0, 0.0, 0.0]

    def step(record):
        t0 = time.perf_counter()
        loss = loss_fn(net(x), y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        loss.item()
        opt.step()
        opt.zero_grad()
        t3 = time.perf_counter()
        if record:
            phases[0] += t1 - t0
            phases[1] += t2 - t1
            phases[2] += t3 - t2

    for _ in range(a.warmup_steps):
        step(False)
    start = time.perf_counter()
    for _ in range(a.steps):
        step(True)
    seconds = time.perf_counter() - start
    print("%-22s %5d %5d %-10s %-13s %7d %8.2f %8.3f %9.3f %10.3f %8.3f %12d" % (
        a.model, a.input_size, a.batch_size, "fp32", a.memory_format, torch.get_num_threads(),
        a.steps * a.batch_size / seconds, seconds / a.steps, phases[0] / a.steps, phases[1] / a.steps,
        phases[2] / a.steps, peak_rss_mib()))


if __name__ == "__main__":
    main()
