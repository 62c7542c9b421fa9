"""NumPy/OpenBLAS side of the SGEMM cases: the second reference for tensh's
matrix product, timed as torch_bench.py times PyTorch (minimum over samples,
previous output kept alive). One JSON object per case, with the OpenBLAS
kernel that ran (threadpoolctl's "architecture", e.g. SkylakeX) and its version.

    numpy_bench.py --threads N --serve      one case per stdin line: "CASE SAMPLES" -> one JSON line

run.py starts this process with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed
from its environment (the workplace sets them for old OpenBLAS builds; they
would pin a slower kernel), so the reference is OpenBLAS as a user gets it."""
import argparse
import json
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

GEMM = {"sgemm-256": (256, 256, 256), "sgemm-1024": (1024, 1024, 1024), "sgemm-2048": (2048, 2048, 2048),
        "sgemm-conv3x3": (64, 576, 3136), "sgemm-conv1x1": (64, 256, 3136)}


def blas_library():
    """(kernel, version) of the BLAS NumPy calls, as threadpoolctl reports it."""
    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            return f"{lib.get('internal_api', '?')} {lib.get('architecture', '?')}", lib.get("version", "?")
    return "none", "?"


def run_case(name, threads, samples):
    if name not in GEMM:
        return None
    m, k, n = GEMM[name]
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    keep = a @ b
    best = float("inf")
    for _ in range(samples):
        start = time.perf_counter()
        keep = a @ b
        best = min(best, time.perf_counter() - start)
    del keep
    kernel, version = blas_library()
    return {"case": name, "threads": threads, "ms": best * 1000, "blas": kernel, "blas_version": version}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    with threadpool_limits(limits=args.threads, user_api="blas"):
        if args.serve:
            for line in sys.stdin:
                parts = line.split()
                if len(parts) != 2:
                    continue
                result = run_case(parts[0], args.threads, int(parts[1])) or {"case": parts[0], "missing": True}
                print(json.dumps(result), flush=True)
            return
        for name in args.cases:
            result = run_case(name, args.threads, 10)
            if result:
                print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
