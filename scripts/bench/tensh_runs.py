"""Running tensh processes for the benchmark: tensh-bench cases, the digits
training script and start-up, with the peak resident memory of each child."""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS_CASE = "digits-train"
DIGITS_SCRIPT = os.path.join(HERE, "digits_train.tsh")
ROOT = os.path.dirname(os.path.dirname(HERE))  # the script loads scripts/examples/data/*.npy from here


def run_json(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"bench: {' '.join(cmd)} failed: {out.stderr.strip()}", file=sys.stderr)
        return []
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def run_with_peak(cmd, cwd=None):
    """(exit code, stdout, stderr, peak resident MiB) of one child process. The
    peak comes from wait4's rusage of that child alone (ru_maxrss, KiB on Linux);
    RUSAGE_CHILDREN would be the maximum over every child waited for so far."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), usage.ru_maxrss / 1024


def parse_digits(stdout):
    """{"ms": ..., "accuracy": ...} from digits_train.tsh's "digits-train ms X" and
    "digits-train accuracy Y" lines, or None when either is missing."""
    found = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == DIGITS_CASE and parts[1] in ("ms", "accuracy"):
            try:
                found[parts[1]] = float(parts[2])
            except ValueError:
                return None
    return found if len(found) == 2 else None


def run_tensh_digits(tensh, threads, runs):
    """The digits-train row: minimum training ms over `runs` runs of the real tensh binary."""
    best = None
    for _ in range(runs):
        code, out, err, peak = run_with_peak([os.path.abspath(tensh), "--threads", str(threads), DIGITS_SCRIPT], ROOT)
        parsed = parse_digits(out)
        if code != 0 or parsed is None:
            print(f"bench: {tensh} {DIGITS_SCRIPT} failed (exit {code}): {err.strip() or out.strip()}", file=sys.stderr)
            return None
        if best is None or parsed["ms"] < best["ms"]:
            best = {"case": DIGITS_CASE, "threads": threads, "ms": parsed["ms"], "gflops": 0,
                    "accuracy": parsed["accuracy"], "peak_mib": peak}
        best["peak_mib"] = max(best["peak_mib"], peak)
    return best


def startup_ms(binary, runs=20):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, "-e", "1"], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best * 1000
