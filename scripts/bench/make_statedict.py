"""Writes the benchmark's 50 MB PyTorch state_dict (float32, 12.5 M parameters in
the shapes of a small image network: conv stages with batch norm, then two large
linear layers), unless it exists.

    python3 scripts/bench/make_statedict.py bench-results/statedict-50mb.pt
"""
import os
import sys

import torch


def state_dict():
    torch.manual_seed(0)
    layers, channels = [], 3
    for width in (64, 128, 256, 512):
        for _ in range(2):
            layers += [torch.nn.Conv2d(channels, width, 3, padding=1), torch.nn.BatchNorm2d(width), torch.nn.ReLU()]
            channels = width
    layers += [torch.nn.Flatten(), torch.nn.Linear(512 * 2 * 2, 2560), torch.nn.ReLU(), torch.nn.Linear(2560, 1000)]
    return torch.nn.Sequential(*layers).state_dict()


def main():
    path = sys.argv[1]
    if os.path.exists(path):
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    sd = state_dict()
    torch.save(sd, path)
    params = sum(t.numel() for t in sd.values())
    print(f"{path}: {len(sd)} tensors, {params / 1e6:.1f} M values, {os.path.getsize(path) / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
