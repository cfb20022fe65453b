"""PyTorch CPU peer of the tfjs train-step benchmark (tools/bench/train_step.ts): a twin of the Panoptic-DeepLab model
that `deno task train` trains (lib/model/panoptic_deeplab.ts) and of its losses (lib/train/losses.ts) and optimiser.

The network, layer for layer: the encoder (MobileNetV2 1.0 up to block_13_expand_relu, each convolution + frozen batch
norm one biased convolution whose kernel and bias are folded from trainable scale/offset and fixed statistics at every
call, as lib/model/folded_conv_bn.ts does; or the CenterNet MobileNetV3-Large 0.75 up to expanded_conv_12/expand, biased
convolutions, hard-swish, squeeze-excite, as lib/model/mobilenet_v3.ts), its stride-4/8/16 taps; a light ASPP (1x1
branch, two atrous depthwise-separable 3x3 branches, 1x1 projection); a semantic and an instance decoder (x2 bilinear,
concatenated 1x1 projections of the stride-8 and stride-4 taps, k x k depthwise-separable fusion); three heads
(k x k depthwise-separable convolution, 1x1 logits, x4 bilinear). The decoders and heads use biased convolutions with
ReLU and no batch norm. Losses: bootstrapped top-k softmax cross-entropy, weighted MSE of the centre heatmap, weighted
L1 of the offsets, each averaged per image over its non-zero losses, then over the batch, weighted and summed; gradients
clipped to a global norm; Adam. Random weights (speed only): He-uniform convolutions, unit scales, zero offsets.

Run with --describe, it prints one JSON line about the network at --spec's "input" size (trainable parameter count,
the parameters' shapes in tfjs' layout, the heads' shapes, every convolution's kind, kernel, stride, dilation, channels
and output size, their FLOPs) and exits; the tests compare it
with the tfjs model. Otherwise it is a session driven over stdin/stdout, so that tools/bench/train_step.ts can
interleave its runs with the tfjs ones (the same machine load for both): after one "ready" line it answers each command
line with one JSON line: "warmup" (untimed runs of each kind), "forward" (the training batch, no gradient), "infer"
(one frame of the spec's "frame" size, no gradient) or "step" (forward, losses, backward, clipping, Adam on the
training batch), each one untimed run then one timed (wall and CPU ms), and "summary" (versions, peak RSS, parameter
count; then it exits). The untimed run settles the process after the tfjs runs: PyTorch maps fresh memory for its
large tensors every step, and the first step after the tfjs runs spent 2-3x the kernel time on those page faults
(measured with getrusage: 520-860 ms of system time instead of ~260).

--spec is a JSON object: {"model": {"encoder", "decoderKernel", "decoderChannels", "instanceChannels",
"semanticLowLevel", "instanceLowLevel", "asppRates", "classes"}, "loss": {"semanticWeight", "centerWeight",
"offsetWeight", "topKPercent", "ignoreLabel"}, "adam": {"learningRate", "beta1", "beta2", "epsilon"}, "clipNorm",
"threads", "warmup", "batch": {"<name>": {"file", "dtype", "shape"}} (the tfjs batch as raw little-endian arrays:
"images" NHWC and the targets "semantic", "semanticWeights", "center", "centerWeights", "offsets", "offsetWeights"),
"frame": [height, width]}; --describe needs only "model" and "input": [batch, height, width]."""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# MobileNetV2 (alpha 1.0): (expansion t, output channels c, repeats n, first stride s), as lib/model/backbone.ts.
V2_BLOCKS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
# The blocks whose expansion activation is the stride-4, 8 and 16 feature (block_3/6/13_expand_relu).
V2_TAPS = (3, 6, 13)

# MobileNetV3-Large 0.75 of the CenterNet detector: (depthwise kernel, expanded, out, squeeze-excite, activation,
# stride), as lib/model/mobilenet_v3.ts.
V3_BLOCKS = [
    (3, 16, 16, 0, "relu", 1), (3, 64, 24, 0, "relu", 2), (3, 72, 24, 0, "relu", 1), (5, 72, 32, 24, "relu", 2),
    (5, 96, 32, 24, "relu", 1), (5, 96, 32, 24, "relu", 1), (3, 192, 64, 0, "hard_swish", 2),
    (3, 160, 64, 0, "hard_swish", 1), (3, 144, 64, 0, "hard_swish", 1), (3, 144, 64, 0, "hard_swish", 1),
    (3, 384, 88, 96, "hard_swish", 1), (3, 528, 88, 136, "hard_swish", 1), (5, 528, 120, 136, "hard_swish", 2),
]
V3_STEM = 16
# The blocks whose expansion output is the stride-4, 8 and 16 feature (expanded_conv_3/6/12/expand).
V3_TAPS = (3, 6, 12)

ACTIVATIONS = {None: lambda x: x, "relu": F.relu, "relu6": F.relu6, "hard_swish": F.hardswish}

# While not None, every convolution appends (its signature, its FLOPs: multiply-adds x2) here (--describe).
CONV_LOG = None


class Conv(nn.Module):
    """A biased convolution ("same" padding; depthwise when `depthwise`) and its activation."""

    def __init__(self, cin, cout, kernel=1, stride=1, dilation=1, depthwise=False, act=None):
        super().__init__()
        self.groups = cin if depthwise else 1
        self.stride, self.dilation, self.act = stride, dilation, ACTIVATIONS[act]
        self.padding = dilation * (kernel - 1) // 2
        self.weight = nn.Parameter(torch.empty(cout, cin // self.groups, kernel, kernel))
        nn.init.kaiming_uniform_(self.weight, nonlinearity="relu")
        self.init_bias(cout)

    def init_bias(self, cout):
        self.bias = nn.Parameter(torch.zeros(cout))

    def signature(self, y):
        """Kind, kernel, stride, dilation, channels in and out, output size (as tools/bench/torch_peer_test.ts
        writes the tfjs model's)."""
        cout, cin, kh, kw = self.weight.shape
        kind = "depthwise" if self.groups > 1 else "conv"
        size = f"{y.shape[2]}x{y.shape[3]}"
        return f"{kind} {kh}x{kw} stride {self.stride} dilation {self.dilation} {cin * self.groups}>{cout} {size}"

    def kernel_and_bias(self):
        return self.weight, self.bias

    def forward(self, x):
        weight, bias = self.kernel_and_bias()
        y = F.conv2d(x, weight, bias, self.stride, self.padding, self.dilation, self.groups)
        if CONV_LOG is not None:
            CONV_LOG.append((self.signature(y), 2 * y.numel() * weight[0].numel()))
        return self.act(y)


class FoldedConvBn(Conv):
    """Convolution + batch norm with frozen statistics (+ ReLU6) as ONE biased convolution, the kernel scaled and the
    bias shifted from the trainable scale and offset at every call (lib/model/folded_conv_bn.ts)."""

    def init_bias(self, cout):
        self.gamma = nn.Parameter(torch.ones(cout))
        self.beta = nn.Parameter(torch.zeros(cout))
        self.register_buffer("moving_mean", torch.zeros(cout))
        self.register_buffer("moving_variance", torch.ones(cout))

    def kernel_and_bias(self):
        scale = self.gamma * torch.rsqrt(self.moving_variance + 1e-3)
        return self.weight * scale.view(-1, 1, 1, 1), self.beta - self.moving_mean * scale


class MobileNetV2(nn.Module):
    """MobileNetV2 up to block_13_expand_relu, batch norm folded; returns the stride-4, 8, 16 taps."""

    def __init__(self):
        super().__init__()
        self.stem = FoldedConvBn(3, 32, 3, 2, act="relu6")
        self.blocks = nn.ModuleList()
        cin, block_id = 32, 0
        for t, c, n, s in V2_BLOCKS:
            for i in range(n):
                if block_id > V2_TAPS[-1]:
                    break
                block = nn.Module()
                mid = cin * t
                block.expand = FoldedConvBn(cin, mid, 1, act="relu6") if t != 1 else None
                if block_id < V2_TAPS[-1]:
                    block.depthwise = FoldedConvBn(mid, mid, 3, s if i == 0 else 1, depthwise=True, act="relu6")
                    block.project = FoldedConvBn(mid, c, 1)
                    block.residual = (s if i == 0 else 1) == 1 and cin == c
                self.blocks.append(block)
                cin, block_id = c, block_id + 1
        self.channels = (144, 192, 576)

    def forward(self, x):
        x = self.stem(x)
        taps = []
        for block_id, block in enumerate(self.blocks):
            y = block.expand(x) if block.expand is not None else x
            if block_id in V2_TAPS:
                taps.append(y)
            if block_id == V2_TAPS[-1]:
                break
            y = block.project(block.depthwise(y))
            x = x + y if block.residual else y
        return taps


class SqueezeExcite(nn.Module):
    """x * hard_sigmoid(W2 relu(W1 mean(x) + b1) + b2), its weights in 1x1-convolution shapes, as
    lib/model/mobilenet_v3.ts."""

    def __init__(self, channels, squeeze):
        super().__init__()
        self.w1 = nn.Parameter(torch.empty(squeeze, channels, 1, 1))
        self.b1 = nn.Parameter(torch.zeros(squeeze))
        self.w2 = nn.Parameter(torch.empty(channels, squeeze, 1, 1))
        self.b2 = nn.Parameter(torch.zeros(channels))
        nn.init.kaiming_uniform_(self.w1, nonlinearity="relu")
        nn.init.xavier_uniform_(self.w2)

    def forward(self, x):
        pooled = x.mean((2, 3))
        squeezed = F.relu(F.linear(pooled, self.w1.flatten(1), self.b1))
        gate = F.hardsigmoid(F.linear(squeezed, self.w2.flatten(1), self.b2))
        return x * gate[:, :, None, None]


class MobileNetV3Coco(nn.Module):
    """The CenterNet MobileNetV3-Large 0.75 up to expanded_conv_12/expand; returns the stride-4, 8, 16 taps."""

    def __init__(self):
        super().__init__()
        self.stem = Conv(3, V3_STEM, 3, 2, act="hard_swish")
        self.blocks = nn.ModuleList()
        cin = V3_STEM
        for block_id, (k, mid, out, se, act, s) in enumerate(V3_BLOCKS):
            block = nn.Module()
            block.expand = Conv(cin, mid, 1, act=act) if mid != cin else None
            if block_id < V3_TAPS[-1]:
                block.depthwise = Conv(mid, mid, k, s, depthwise=True, act=act)
                block.se = SqueezeExcite(mid, se) if se else None
                block.project = Conv(mid, out, 1)
                block.residual = s == 1 and cin == out
            self.blocks.append(block)
            cin = out
        self.channels = (72, 192, 528)

    def forward(self, x):
        x = self.stem((x + 1) * 127.5)  # [-1, 1] to the detector's [0, 255]
        taps = []
        for block_id, block in enumerate(self.blocks):
            y = block.expand(x) if block.expand is not None else x
            if block_id in V3_TAPS:
                taps.append(y)
            if block_id == V3_TAPS[-1]:
                break
            y = block.depthwise(y)
            if block.se is not None:
                y = block.se(y)
            y = block.project(y)
            x = x + y if block.residual else y
        return taps


ENCODERS = {"mobilenet_v2": MobileNetV2, "mobilenet_v3_coco": MobileNetV3Coco}


class Separable(nn.Module):
    """Depthwise k x k (dilated) + ReLU, then 1x1 + ReLU, both biased, no batch norm."""

    def __init__(self, cin, cout, kernel=3, dilation=1):
        super().__init__()
        self.dw = Conv(cin, cin, kernel, dilation=dilation, depthwise=True, act="relu")
        self.pw = Conv(cin, cout, 1, act="relu")

    def forward(self, x):
        return self.pw(self.dw(x))


def up(x, factor):
    return F.interpolate(x, scale_factor=factor, mode="bilinear", align_corners=False)


class Decoder(nn.Module):
    """x2 upsampling to stride 8, then 4, each time concatenating a 1x1 projection of the encoder's tap and fusing."""

    def __init__(self, cin, taps, channels, low_level, kernel):
        super().__init__()
        self.proj = nn.ModuleList([Conv(taps[0], low_level[0], act="relu"), Conv(taps[1], low_level[1], act="relu")])
        self.fuse = nn.ModuleList([
            Separable(cin + low_level[0], channels, kernel),
            Separable(channels + low_level[1], channels, kernel),
        ])

    def forward(self, x, s8, s4):
        for proj, fuse, feature in zip(self.proj, self.fuse, (s8, s4)):
            x = fuse(torch.cat([up(x, 2), proj(feature)], 1))
        return x


class Head(nn.Module):
    def __init__(self, cin, hidden, outputs, kernel):
        super().__init__()
        self.hidden = Separable(cin, hidden, kernel)
        self.logits = Conv(hidden, outputs)

    def forward(self, x):
        return up(self.logits(self.hidden(x)), 4)


class PanopticDeepLab(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.encoder = ENCODERS[m["encoder"]]()
        s4, s8, s16 = self.encoder.channels
        d, i, k = m["decoderChannels"], m["instanceChannels"], m["decoderKernel"]
        self.aspp_1x1 = Conv(s16, d, act="relu")
        self.aspp_rates = nn.ModuleList([Separable(s16, d, 3, rate) for rate in m["asppRates"]])
        self.aspp_project = Conv(d * (1 + len(m["asppRates"])), d, act="relu")
        self.semantic = Decoder(d, (s8, s4), d, m["semanticLowLevel"], k)
        self.instance = Decoder(d, (s8, s4), i, m["instanceLowLevel"], k)
        half = max(8, i // 2)
        self.semantic_head = Head(d, d, m["classes"], k)
        self.center_head = Head(i, half, 1, k)
        self.offset_head = Head(i, half, 2, k)

    def forward(self, x):
        s4, s8, s16 = self.encoder(x)
        context = self.aspp_project(torch.cat([self.aspp_1x1(s16)] + [b(s16) for b in self.aspp_rates], 1))
        semantic = self.semantic(context, s8, s4)
        instance = self.instance(context, s8, s4)
        return self.semantic_head(semantic), self.center_head(instance), self.offset_head(instance)


def average_top_k(losses, fraction):
    """Per-image mean of the round(fraction * P) largest of losses [N, P] over the non-zero ones kept (losses.ts)."""
    p = losses.shape[1]
    k = int(math.floor(fraction * p + 0.5))
    kept = losses if k == p else torch.topk(losses, k, 1, sorted=False).values
    count = (kept != 0).sum(1).clamp(min=1)
    return kept.sum(1) / count


def panoptic_loss(outputs, t, o):
    """lib/train/losses.ts' panopticLoss on NCHW heads and the batch's targets."""
    logits, center, offsets = outputs
    n = logits.shape[0]
    ce = F.cross_entropy(logits, t["semantic"], ignore_index=o["ignoreLabel"], reduction="none")
    semantic = average_top_k((ce * t["semanticWeights"]).reshape(n, -1), o["topKPercent"]).mean()
    center_px = (center - t["center"]).square().mean(1) * t["centerWeights"]
    offset_px = (offsets - t["offsets"]).abs().mean(1) * t["offsetWeights"]
    center_loss = average_top_k(center_px.reshape(n, -1), 1).mean()
    offset_loss = average_top_k(offset_px.reshape(n, -1), 1).mean()
    return o["semanticWeight"] * semantic + o["centerWeight"] * center_loss + o["offsetWeight"] * offset_loss


DTYPES = {"float32": torch.float32, "int32": torch.int32, "uint8": torch.uint8}


def read_array(a):
    with open(a["file"], "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=DTYPES[a["dtype"]]).reshape(a["shape"]).clone()


def read_batch(arrays):
    """The tfjs batch (NHWC) as NCHW tensors; labels as int64."""
    b = {k: read_array(v) for k, v in arrays.items()}
    images = b.pop("images").permute(0, 3, 1, 2).contiguous()
    b["semantic"] = b["semantic"].long()
    b["center"] = b["center"].permute(0, 3, 1, 2).contiguous()
    b["offsets"] = b["offsets"].permute(0, 3, 1, 2).contiguous()
    return images, b


def trainable(model):
    return [p for p in model.parameters() if p.requires_grad]


def tfjs_shape(module, name, p):
    """A parameter's shape in tfjs' layout: kernels [kh, kw, in, out], depthwise kernels [kh, kw, channels, 1]."""
    if p.dim() != 4:
        return list(p.shape)
    out, cin, kh, kw = p.shape
    if getattr(module, "groups", 1) > 1 and name == "weight":
        return [kh, kw, out, 1]
    return [kh, kw, cin, out]


def describe(model, n, h, w):
    global CONV_LOG
    CONV_LOG = []
    with torch.no_grad():
        outputs = model(torch.rand(n, 3, h, w) * 2 - 1)
    convolutions, CONV_LOG = CONV_LOG, None
    shapes = [
        tfjs_shape(module, name, p)
        for module in model.modules()
        for name, p in module.named_parameters(recurse=False)
        if p.requires_grad
    ]
    return {
        "trainableParameters": sum(p.numel() for p in trainable(model)),
        "parameterShapes": shapes,
        "outputShapes": [[o.shape[0], o.shape[2], o.shape[3], o.shape[1]] for o in outputs],
        "convolutions": [signature for signature, _ in convolutions],
        "flops": sum(flops for _, flops in convolutions),
    }


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
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--spec", required=True, help="JSON object (see above)")
    p.add_argument("--describe", action="store_true", help="print the network's description and exit")
    a = p.parse_args()
    spec = json.loads(a.spec)
    torch.manual_seed(0)
    model = PanopticDeepLab(spec["model"])
    if a.describe:
        print(json.dumps(describe(model, *spec["input"])), flush=True)
        return
    torch.set_num_threads(spec["threads"])
    images, targets = read_batch(spec["batch"])
    frame = torch.rand(1, 3, *spec["frame"]) * 2 - 1
    adam = spec["adam"]
    betas = (adam.get("beta1", 0.9), adam.get("beta2", 0.999))
    optimizer = torch.optim.Adam(trainable(model), lr=adam["learningRate"], betas=betas, eps=adam.get("epsilon", 1e-7))

    def forward(x):
        with torch.no_grad():
            model(x)

    def step():
        optimizer.zero_grad(set_to_none=True)
        panoptic_loss(model(images), targets, spec["loss"]).backward()
        if spec["clipNorm"] > 0:
            torch.nn.utils.clip_grad_norm_(trainable(model), spec["clipNorm"])
        optimizer.step()

    def summary():
        return {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "peakRssMb": peak_rss_mb(),
            "trainableParameters": sum(p.numel() for p in trainable(model)),
        }

    def warmup():
        for _ in range(spec["warmup"]):
            forward(images)
            forward(frame)
            step()
        return {"ok": True}

    commands = {
        "warmup": warmup,
        "forward": lambda: timed(lambda: forward(images)),
        "infer": lambda: timed(lambda: forward(frame)),
        "step": lambda: timed(step),
        "summary": summary,
    }
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
