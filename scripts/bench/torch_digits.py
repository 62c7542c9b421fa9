"""PyTorch side of the digits-train case: the CNN of scripts/examples/digits.tsh
(conv 1->16 3x3 p1, relu, max_pool 2, conv 16->32 3x3 p1, relu, max_pool 2,
linear 128->10, log_softmax, nll_loss) trained for 10 epochs with plain SGD
(lr 0.1, batch 32, the last batch partial) on the same 1436 training images,
in eager PyTorch. Only the training loop is timed, as in digits_train.tsh."""
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "data")
EPOCHS, BATCH, LR = 10, 32, 0.1


def split():
    """Of every 5 consecutive images, 4 train and the 5th is held out (as digits.tsh)."""
    images = torch.from_numpy(np.load(os.path.join(DATA, "digits_images.npy")))
    labels = torch.from_numpy(np.load(os.path.join(DATA, "digits_labels.npy")))
    groups = images[:1795].reshape(359, 5, 1, 8, 8)
    group_labels = labels[:1795].reshape(359, 5)
    train = (groups[:, :4].reshape(-1, 1, 8, 8).contiguous(), group_labels[:, :4].reshape(-1).contiguous())
    test = (groups[:, 4].contiguous(), group_labels[:, 4].contiguous())
    return train, test


def init_params(seed):
    """He-normal convolutions, Xavier-uniform linear, zero biases (like he_normal/xavier_uniform in tensh)."""
    g = torch.Generator().manual_seed(seed)
    w1 = torch.randn(16, 1, 3, 3, generator=g) * math.sqrt(2 / 9)
    w2 = torch.randn(32, 16, 3, 3, generator=g) * math.sqrt(2 / 144)
    bound = math.sqrt(6 / (128 + 10))
    w3 = (torch.rand(10, 128, generator=g) * 2 - 1) * bound
    params = [w1, torch.zeros(16), w2, torch.zeros(32), w3, torch.zeros(10)]
    return [p.requires_grad_() for p in params]


def net(x, w1, b1, w2, b2, w3, b3):
    h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2, padding=1)), 2)
    return F.log_softmax(F.linear(h.flatten(1), w3, b3), dim=1)


def train_once(train, params):
    """Seconds for the training loop."""
    x, y = train
    steps = (x.shape[0] + BATCH - 1) // BATCH
    start = time.perf_counter()
    for _ in range(EPOCHS):
        for i in range(steps):
            xb, yb = x[i * BATCH:(i + 1) * BATCH], y[i * BATCH:(i + 1) * BATCH]
            loss = F.nll_loss(net(xb, *params), yb)
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= LR * p.grad
                    p.grad = None
    return time.perf_counter() - start


def digits_train(runs):
    """(minimum training milliseconds over `runs` fresh trainings, held-out accuracy of the last)."""
    train, (test_x, test_y) = split()
    best, accuracy = float("inf"), 0.0
    for run in range(runs):
        params = init_params(seed=run + 1)
        best = min(best, train_once(train, params))
        with torch.no_grad():
            accuracy = (net(test_x, *params).argmax(1) == test_y).float().mean().item()
    return best * 1000, accuracy
