#!/usr/bin/env bash
# The benchmark: builds tensh in release and, at 1 and 2 threads, runs each
# case in PyTorch and right after in tensh (tensh-bench, one process per case,
# so peak memory is per case; digits-train runs scripts/bench/digits_train.tsh
# with the tensh binary), prints a table and the targets and writes
# bench-results/latest.json and bench-results/latest.md (Docs/Performance.md).
#
#   scripts/bench.sh [--no-torch] [--threads "1 2"] [--samples N] [--rounds N] [CASE-PREFIX ...]
#
# References: uses `python3` when it can import torch, numpy, Pillow and
# threadpoolctl (PyTorch, NumPy's OpenBLAS and the image loads); otherwise
# creates a venv in .venv-bench and installs them there (a large download,
# once), unless --no-torch is given. Run on an idle machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
swift build -c release --product tensh-bench >&2
swift build -c release --product tensh >&2

python=""
if [[ " $* " != *" --no-torch "* ]]; then
    imports="import torch, numpy, PIL, threadpoolctl"
    if python3 -c "$imports" 2>/dev/null; then
        python=python3
    else
        if ! .venv-bench/bin/python -c "$imports" 2>/dev/null; then
            echo "bench: setting up .venv-bench with torch, numpy, pillow, threadpoolctl (once)" >&2
            python3 -m venv .venv-bench
            .venv-bench/bin/pip install --quiet torch numpy pillow threadpoolctl >&2
        fi
        python=.venv-bench/bin/python
    fi
fi
exec python3 scripts/bench/run.py --bin .build/release --torch-python "$python" "$@"
