"""Running tensh processes for the benchmark: tensh-bench cases, the script
cases (digits training, the same with modules, interpreter overhead) and
start-up, with the peak resident memory of each child."""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Cases run as tensh scripts by the real binary: name -> script. Each script times
# its own loop with clock() and prints "<name> ms X" (digits-train also
# "<name> accuracy Y", the held-out accuracy, so that a broken run shows;
# digits-nn also "digits-loop ms Z", the hand-written loop it is compared with,
# trained in the same process).
DIGITS_CASE = "digits-train"
NN_CASE = "digits-nn"
INTERPRETER_CASE = "interp-small-ops-x100000"
SCRIPT_CASES = {DIGITS_CASE: "digits_train.tsh", NN_CASE: "digits_nn.tsh", INTERPRETER_CASE: "interp_small_ops.tsh"}
# The lines each script case must print, "<name> <what>" -> the row's key.
SCRIPT_LINES = {DIGITS_CASE: {"digits-train ms": "ms", "digits-train accuracy": "accuracy"},
                NN_CASE: {"digits-nn ms": "ms", "digits-loop ms": "loop_ms"}}
ROOT = os.path.dirname(os.path.dirname(HERE))  # the scripts load scripts/examples/data/*.npy from here


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


def parse_script_output(case, stdout):
    """{"ms": ..., ...} from the script's "<case> ms X" line (and the others of
    SCRIPT_LINES), or None when one is missing or not a number."""
    wanted = SCRIPT_LINES.get(case, {f"{case} ms": "ms"})
    found = {}
    for line in stdout.splitlines():
        parts = line.split()
        key = " ".join(parts[:2])
        if len(parts) == 3 and key in wanted:
            try:
                found[wanted[key]] = float(parts[2])
            except ValueError:
                return None
    return found if len(found) == len(wanted) else None


def parse_digits(stdout):
    return parse_script_output(DIGITS_CASE, stdout)


def run_tensh_script(tensh, case, threads, runs):
    """The row of a script case: minimum ms over `runs` runs of the real tensh binary."""
    script = os.path.join(HERE, SCRIPT_CASES[case])
    best = None
    for _ in range(runs):
        code, out, err, peak = run_with_peak([os.path.abspath(tensh), "--threads", str(threads), script], ROOT)
        parsed = parse_script_output(case, out)
        if code != 0 or parsed is None:
            print(f"bench: {tensh} {script} failed (exit {code}): {err.strip() or out.strip()}", file=sys.stderr)
            return None
        if best is None or parsed["ms"] < best["ms"]:
            best = dict(parsed, case=case, threads=threads, gflops=0, peak_mib=peak)
        best["peak_mib"] = max(best["peak_mib"], peak)
    return best


def startup_ms(binary, runs=20):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, "-e", "1"], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best * 1000
