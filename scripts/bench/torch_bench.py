"""PyTorch side of the tensh benchmark: the same cases as tensh-bench, timed the
same way (minimum over samples, previous output kept alive), one JSON object
per line.

    torch_bench.py --threads N [--samples N] CASE ...    the cases, then exit
    torch_bench.py --threads N --serve                   one case per stdin line:
                                                         "CASE SAMPLES" -> one JSON line

run.py uses --serve so that each case runs here and then in tensh back to back
(the machine's speed drifts over minutes) without importing torch per case."""
import argparse
import json
import sys
import time

import torch
import torch.nn.functional as F

from torch_digits import digits_train

CONV = {  # name: (N, Cin, Cout, size, kernel, stride, padding, kind, weight_only)
    "c1": (1, 3, 64, 224, 7, 2, 3, "conv", True),
    "c2": (8, 64, 64, 56, 3, 1, 1, "conv", False),
    "c3": (8, 256, 64, 56, 1, 1, 0, "conv", False),
    "c4": (8, 128, 256, 28, 3, 2, 1, "conv", False),
    "c5": (8, 128, 128, 56, 3, 1, 1, "depthwise", False),
    "c6": (8, 128, 64, 16, 4, 2, 1, "transpose", False),
    "c7": (32, 64, 64, 32, 3, 1, 1, "conv", False),
    "c8": (64, 1, 32, 28, 3, 1, 1, "conv", True),
    "c9": (1, 64, 64, 56, 3, 1, 1, "conv", False),
}
GEMM = {"sgemm-256": (256, 256, 256), "sgemm-1024": (1024, 1024, 1024), "sgemm-2048": (2048, 2048, 2048),
        "sgemm-conv3x3": (64, 576, 3136), "sgemm-conv1x1": (64, 256, 3136)}


def measure(body, samples, inner=1):
    keep = body()
    best = float("inf")
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(inner):
            keep = body()
        best = min(best, (time.perf_counter() - start) / inner)
    del keep
    return best


def conv_case(name, backward):
    n, cin, cout, size, k, s, p, kind, weight_only = CONV[name]
    x = torch.randn(n, cin, size, size)
    if kind == "transpose":
        w = torch.randn(cin, cout, k, k)
        fwd = lambda x, w: F.conv_transpose2d(x, w, stride=s, padding=p)
    elif kind == "depthwise":
        w = torch.randn(cin, 1, k, k)
        fwd = lambda x, w: F.conv2d(x, w, stride=s, padding=p, groups=cin)
    else:
        w = torch.randn(cout, cin, k, k)
        fwd = lambda x, w: F.conv2d(x, w, stride=s, padding=p)
    if not backward:
        with torch.no_grad():
            fwd(x, w)
        return lambda: fwd(x, w)
    w.requires_grad_(True)
    if not weight_only:
        x.requires_grad_(True)
    y = fwd(x, w)
    gy = torch.randn_like(y)
    wrt = [w] if weight_only else [x, w]
    return lambda: torch.autograd.grad(y, wrt, gy, retain_graph=True)


def autograd_small():
    x = torch.randn(1, 1, 8, 8)
    w = torch.randn(1, 1, 3, 3, requires_grad=True)

    def body():
        g = None
        for _ in range(10_000):
            y = F.conv2d(x, w, padding=1).relu().sum()
            g = torch.autograd.grad(y, w)
        return g
    return body


IMAGES = {"io-png-chelsea": "scripts/examples/data/images/chelsea.png",
          "io-jpeg-chelsea": "scripts/examples/data/images/chelsea.jpg"}
STATE_DICT = "bench-results/statedict-50mb.pt"


def image_case(path):
    """Pillow + NumPy: the float32 [3, H, W] tensor in [0, 1] that load_image(path, mode="rgb") gives."""
    import numpy as np
    from PIL import Image

    def body():
        rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / np.float32(255)
        return np.ascontiguousarray(rgb.transpose(2, 0, 1))
    return body


def bilinear(backward):
    """F.interpolate bilinear 2x up of [8, 64, 56, 56] (align_corners=False), as tensh-bench's bilinear-*."""
    x = torch.randn(8, 64, 56, 56)
    up = lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
    if not backward:
        return lambda: up(x)
    x.requires_grad_(True)
    y = up(x)
    gy = torch.randn_like(y)
    return lambda: torch.autograd.grad(y, [x], gy, retain_graph=True)


def interp_small_ops():
    """The loop of scripts/bench/interp_small_ops.tsh: 10,000 x 10 small tensor operations."""
    x = torch.randn(8, 8)
    v = torch.randn(8)

    def body():
        total = None
        for _ in range(1250):
            for i in range(8):
                a = x * 0.5
                b = a + v
                r = b[i]
                s = r[2:6]
                c = s * s
                m = c.sum()
                d = x[:, 1] - v
                e = d.max()
                total = m + e
        return total
    return body


def make(name):
    if name in IMAGES:
        return image_case(IMAGES[name])
    if name == "io-statedict-50mb":
        return lambda: torch.load(STATE_DICT, weights_only=True)
    if name in GEMM:
        m, k, n = GEMM[name]
        a, b = torch.randn(m, k), torch.randn(k, n)
        return lambda: a @ b
    if name == "autograd-small-x10000":
        return autograd_small()
    if name in ("bilinear-fwd", "bilinear-bwd"):
        return bilinear(name.endswith("bwd"))
    if name == "interp-small-ops-x100000":
        return interp_small_ops()
    base, _, kind = name.partition("-")
    if base in CONV and kind in ("fwd", "bwd"):
        return conv_case(base, kind == "bwd")
    return None


def run_case(name, threads, samples):
    """The JSON result of one case, or None for a case PyTorch does not have."""
    if name == "digits-train":
        ms, accuracy = digits_train(samples)
        return {"case": name, "threads": threads, "ms": ms, "accuracy": accuracy}
    body = make(name)
    if body is None:
        return None
    samples = 3 if name.startswith(("autograd", "interp")) else samples
    inner = 10 if name in IMAGES else 1  # as tensh-bench repeats the short image cases
    with torch.inference_mode(False):
        seconds = measure(body, samples, inner)
    del body
    return {"case": name, "threads": threads, "ms": seconds * 1000}


def serve(threads):
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 2:
            continue
        result = run_case(parts[0], threads, int(parts[1])) or {"case": parts[0], "missing": True}
        print(json.dumps(result), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.serve:
        serve(args.threads)
        return
    for name in args.cases:
        result = run_case(name, args.threads, args.samples)
        if result is not None:
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
