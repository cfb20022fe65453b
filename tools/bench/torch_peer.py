"""PyTorch CPU peer of the tfjs train-step benchmark (tools/bench/train_step.ts): the same network as
tools/bench/light_segmenter.ts (MobileNetV2 up to block_13_expand_relu, light decoder, x4 bilinear logits), batch norm
in inference mode with trained scale/offset, softmax cross-entropy with ignore label 255, Adam. Random weights (speed
only). A session driven over stdin/stdout, so that tools/bench/train_step.ts can interleave its runs with the tfjs ones
(the same machine load for both): after one "ready" line it answers each command line with one JSON line —
"warmup" (untimed forward and step runs), "forward" or "step" (one untimed run, then one timed: wall and CPU ms),
"summary" (versions, peak RSS, parameter count; then it exits). The untimed run settles the process after the tfjs
runs: PyTorch maps fresh memory for its large tensors every step, and the first step after the tfjs runs spent 2-3x
the kernel time on those page faults (measured with getrusage: 520-860 ms of system time instead of ~260)."""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# (expansion t, output channels c, repeats n, first stride s), as in Keras MobileNetV2 (alpha 1.0).
BLOCKS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def conv_bn(cin, cout, kernel, stride=1, groups=1):
    return [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-3)]


class InvertedResidual(nn.Module):
    """One MobileNetV2 block; `stop_after_expand` ends it at its expansion activation (the stride-16 feature)."""

    def __init__(self, cin, t, c, stride, stop_after_expand=False):
        super().__init__()
        mid = cin * t
        self.expand = nn.Sequential(*conv_bn(cin, mid, 1), nn.ReLU6()) if t != 1 else nn.Identity()
        self.stop = stop_after_expand
        if not stop_after_expand:
            self.rest = nn.Sequential(*conv_bn(mid, mid, 3, stride, groups=mid), nn.ReLU6(), *conv_bn(mid, c, 1))
        self.residual = stride == 1 and cin == c

    def forward(self, x):
        y = self.expand(x)
        if self.stop:
            return y, y
        z = self.rest(y)
        return (x + z if self.residual else z), y


class LightSegmenter(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn(3, 32, 3, 2), nn.ReLU6())
        blocks, cin, block_id = [], 32, 0
        for t, c, n, s in BLOCKS:
            for i in range(n):
                if block_id > 13:
                    break
                blocks.append(InvertedResidual(cin, t, c, s if i == 0 else 1, stop_after_expand=block_id == 13))
                cin, block_id = c, block_id + 1
        self.blocks = nn.ModuleList(blocks)
        self.s16 = nn.Conv2d(576, 128, 1)
        self.s4 = nn.Conv2d(144, 32, 1)
        self.fuse = nn.Conv2d(160, 128, 3, padding=1)
        self.logits = nn.Conv2d(128, classes, 1)

    def forward(self, x):
        x = self.stem(x)
        s4 = s16 = None
        for block_id, block in enumerate(self.blocks):
            x, expanded = block(x)
            if block_id == 3:
                s4 = expanded
            if block_id == 13:
                s16 = expanded
        coarse = F.interpolate(F.relu(self.s16(s16)), scale_factor=4, mode="bilinear", align_corners=False)
        fine = F.relu(self.s4(s4))
        logits = self.logits(F.relu(self.fuse(torch.cat([coarse, fine], 1))))
        return F.interpolate(logits, scale_factor=4, mode="bilinear", align_corners=False)


def peak_rss_mb():
    """VmHWM of this process (ru_maxrss would include the parent's peak, which Linux carries across fork/exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn):
    """Wall and process CPU milliseconds of one run of fn, after an untimed one."""
    fn()
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return {"ms": (time.perf_counter() - wall) * 1000, "cpuMs": (time.process_time() - cpu) * 1000}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--height", type=int, default=256)
    p.add_argument("--width", type=int, default=512)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--classes", type=int, default=19)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=1e-4)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = LightSegmenter(a.classes).eval()  # eval: batch norm uses its (frozen) statistics, as in the tfjs task
    images = torch.rand(a.batch, 3, a.height, a.width) * 2 - 1
    labels = torch.randint(0, a.classes, (a.batch, a.height, a.width))
    labels[torch.rand(labels.shape) < 0.1] = 255
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)

    def forward():
        with torch.no_grad():
            model(images)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels, ignore_index=255)
        loss.backward()
        optimizer.step()

    def summary():
        return {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "peakRssMb": peak_rss_mb(),
            "trainableParameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
        }

    def warmup():
        for _ in range(a.warmup):
            forward()
            step()
        return {"ok": True}

    commands = {"warmup": warmup, "forward": lambda: timed(forward), "step": lambda: timed(step), "summary": summary}
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command not in commands:
            print(json.dumps({"error": f"unknown command {command!r}"}), flush=True)
            continue
        print(json.dumps(commands[command]()), flush=True)
        if command == "summary":
            return


if __name__ == "__main__":
    main()
