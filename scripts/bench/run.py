"""Runs the benchmark: for each thread count, each case first in PyTorch (a
long-lived torch_bench.py --serve process; for the SGEMM cases also NumPy's
OpenBLAS, numpy_bench.py --serve) and then in tensh (one tensh-bench process
per case, so the peak memory is per case), back to back, for --rounds rounds
in alternating order, keeping each side's best, so that the machine's drifting
speed affects both sides of a ratio alike. Then the script cases (digits
training, interpreter overhead: a tensh script vs the same in eager PyTorch)
and start-up. Prints a table and the targets, writes bench-results/latest.json
and latest.md."""
import argparse
import json
import os
import subprocess
import sys
import time

from report import print_row, print_targets, write_results
from summary import add_memory_check, targets
from tensh_runs import SCRIPT_CASES, run_json, run_tensh_script, startup_ms

HERE = os.path.dirname(os.path.abspath(__file__))


# Set by the workplace for old OpenBLAS builds; NumPy's own OpenBLAS runs without them.
OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

# A pause before every measurement, longer than a reference's worker threads
# keep spinning after a call: GNU OpenMP (PyTorch) and OpenBLAS (about 2^28
# cycles) busy-wait for the next job, and whatever runs at once shares a core
# with them (sgemm-256 at 2 threads: tensh ran at its 1-thread speed right
# after OpenBLAS, 0.33 ms against 0.17 ms alone; OpenBLAS right after PyTorch
# 0.31 ms against 0.20 ms).
SETTLE_S = 0.3


class ReferenceServer:
    """torch_bench.py or numpy_bench.py --serve at one thread count: one case per request."""

    def __init__(self, python, script, threads, env=None):
        self.script = script
        self.proc = subprocess.Popen([python, os.path.join(HERE, script), "--serve", "--threads", str(threads)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def run(self, case, samples):
        """The case's JSON result, or None when PyTorch has no such case or failed."""
        if self.proc.poll() is not None:
            return None
        time.sleep(SETTLE_S)
        try:
            self.proc.stdin.write(f"{case} {samples}\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except (BrokenPipeError, OSError):
            return None
        if not line:
            print(f"bench: {self.script} stopped at {case}; the rest runs without it", file=sys.stderr)
            self.proc.wait()
            return None
        result = json.loads(line)
        return None if result.get("missing") else result

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()



def best_tensh(args, case, threads, best):
    """One tensh-bench run of `case`; the faster of it and `best`, with the larger peak memory."""
    time.sleep(SETTLE_S)
    for r in run_json([os.path.join(args.bin, "tensh-bench"), "--case", case, "--threads", str(threads),
                       "--samples", str(args.samples)]):
        if best is None or r["ms"] < best["ms"]:
            best = dict(r, peak_mib=max(r["peak_mib"], best["peak_mib"] if best else 0))
    return best


def with_torch(row, torch_result, openblas=None):
    row["torch_ms"] = torch_result["ms"] if torch_result else None
    row["ratio"] = row["ms"] / row["torch_ms"] if row.get("torch_ms") else None
    if torch_result and "accuracy" in torch_result:
        row["torch_accuracy"] = torch_result["accuracy"]
    if openblas:
        row["openblas_ms"], row["openblas_kernel"] = openblas["ms"], f"{openblas['blas']} {openblas['blas_version']}"
        row["openblas_ratio"] = row["ms"] / openblas["ms"]
    return add_memory_check(row)


def faster(result, best):
    return result if result and (best is None or result["ms"] < best["ms"]) else best


def start_references(args, threads, cases):
    """The PyTorch server and, when an SGEMM case runs, the NumPy/OpenBLAS one (or None each)."""
    if not args.torch_python or args.no_torch:
        return None, None
    torch = ReferenceServer(args.torch_python, "torch_bench.py", threads)
    numpy = None
    if any(c.startswith("sgemm") for c in cases):
        env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_OVERRIDES}
        numpy = ReferenceServer(args.torch_python, "numpy_bench.py", threads, env)
    return torch, numpy


def run_threads(args, threads, cases, scripts):
    rows = []
    torch, numpy = start_references(args, threads, cases) if cases or scripts else (None, None)
    try:
        for case in cases:
            torch_result, row, openblas = None, None, None
            # Rounds of PyTorch then tensh, keeping each side's best: a slow
            # spell of the machine (its speed drifts by tens of percent over
            # seconds) then rarely hits both measurements of one side.
            # The order alternates: on this kind of machine the second of two
            # back-to-back runs is measurably slower (the same binary run twice
            # in a row: 10-30%), which would otherwise always favour one side.
            for round_index in range(args.rounds):
                tensh_first = round_index % 2 == 1
                if tensh_first:
                    row = best_tensh(args, case, threads, row)
                torch_result = faster(torch.run(case, args.samples) if torch else None, torch_result)
                if numpy and case.startswith("sgemm"):
                    openblas = faster(numpy.run(case, args.samples), openblas)
                if not tensh_first:
                    row = best_tensh(args, case, threads, row)
            if row:
                rows.append(with_torch(row, torch_result, openblas))
                print_row(rows[-1])
        for case in scripts:
            runs = min(args.samples, 5)
            torch_result = torch.run(case, runs) if torch else None
            r = run_tensh_script(os.path.join(args.bin, "tensh"), case, threads, runs)
            if r:
                rows.append(with_torch(r, torch_result))
                print_row(rows[-1])
    finally:
        for server in (torch, numpy):
            if server:
                server.close()
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--torch-python", default="")
    ap.add_argument("--threads", default="1 2")
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("prefixes", nargs="*")
    args = ap.parse_args()

    selected = lambda name: not args.prefixes or any(name.startswith(p) for p in args.prefixes)
    listing = subprocess.run([os.path.join(args.bin, "tensh-bench"), "--list"], capture_output=True, text=True,
                             check=True).stdout.split()
    cases = [c for c in listing if selected(c)]
    if any(c.startswith("io-statedict") for c in cases) and args.torch_python and not args.no_torch:
        # The state_dict both sides load; written once by PyTorch (tensh does not write pickles).
        subprocess.run([args.torch_python, os.path.join(HERE, "make_statedict.py"), "bench-results/statedict-50mb.pt"],
                       check=False)
    thread_counts = [int(t) for t in args.threads.split()]
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"bench: 1-minute load average {load:.2f}: is another process running? PyTorch's 2-thread "
              "times suffer most from one (OpenMP waits for the descheduled thread)", file=sys.stderr)
    started = time.monotonic()
    rows = []
    scripts = [c for c in SCRIPT_CASES if selected(c)]
    for threads in thread_counts:
        rows += run_threads(args, threads, cases, scripts)
    if selected("startup"):
        r = {"case": "startup (tensh -e '1')", "threads": 0, "ms": startup_ms(os.path.join(args.bin, "tensh")),
             "gflops": 0, "peak_mib": 0, "torch_ms": None, "ratio": None}
        rows.append(r)
        print_row(r)
    summary_threads = 2 if 2 in thread_counts else max(thread_counts)
    lines = targets(rows, summary_threads)
    print_targets(lines, summary_threads)
    write_results(rows, lines, summary_threads, time.monotonic() - started, load)


if __name__ == "__main__":
    main()
