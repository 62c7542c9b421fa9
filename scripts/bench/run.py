"""Runs tensh-bench and torch_bench.py case by case and reports the comparison."""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_json(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        print(f"bench: {' '.join(cmd)} failed: {out.stderr.strip()}", file=sys.stderr)
        return []
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def startup_ms(binary, runs=20):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, "-e", "1"], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--torch-python", default="")
    ap.add_argument("--threads", default="1 2")
    ap.add_argument("--samples", type=int, default=10)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("prefixes", nargs="*")
    args = ap.parse_args()

    bench = os.path.join(args.bin, "tensh-bench")
    cases = subprocess.run([bench, "--list"], capture_output=True, text=True, check=True).stdout.split()
    if args.prefixes:
        cases = [c for c in cases if any(c.startswith(p) for p in args.prefixes)]
    rows = []
    for threads in [int(t) for t in args.threads.split()]:
        torch_ms = {}
        if args.torch_python and not args.no_torch:
            for r in run_json([args.torch_python, os.path.join(HERE, "torch_bench.py"), "--threads", str(threads),
                               "--samples", str(args.samples)] + cases):
                torch_ms[r["case"]] = r["ms"]
        for case in cases:
            for r in run_json([bench, "--case", case, "--threads", str(threads), "--samples", str(args.samples)]):
                r["torch_ms"] = torch_ms.get(case)
                r["ratio"] = r["ms"] / r["torch_ms"] if r.get("torch_ms") else None
                rows.append(r)
                print_row(r)
    if not args.prefixes or any("startup".startswith(p) for p in args.prefixes):
        r = {"case": "startup (tensh -e '1')", "threads": 0, "ms": startup_ms(os.path.join(args.bin, "tensh")),
             "gflops": 0, "peak_mib": 0, "torch_ms": None, "ratio": None}
        rows.append(r)
        print_row(r)
    write_results(rows)


def print_row(r):
    torch_ms = f"{r['torch_ms']:10.3f}" if r.get("torch_ms") else f"{'-':>10}"
    ratio = f"{r['ratio']:6.2f}" if r.get("ratio") else f"{'-':>6}"
    gflops = f"{r['gflops']:8.1f}" if r.get("gflops") else f"{'-':>8}"
    print(f"{r['case']:<24} {r['threads']:>2}  {r['ms']:10.3f} ms {gflops} GFLOP/s {r['peak_mib']:8.1f} MiB"
          f"  torch {torch_ms} ms  ratio {ratio}", flush=True)


def write_results(rows):
    os.makedirs("bench-results", exist_ok=True)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu_name(), "cores": os.cpu_count()}
    with open("bench-results/latest.json", "w") as f:
        json.dump({"machine": meta, "rows": rows}, f, indent=1)
    lines = [f"Measured {meta['date']} on {meta['cpu']} ({meta['cores']} cores).", "",
             "| case | threads | tensh ms | GFLOP/s | peak MiB | PyTorch ms | tensh/PyTorch |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        fmt = lambda v, spec: format(v, spec) if v else "-"
        lines.append(f"| {r['case']} | {r['threads'] or '-'} | {r['ms']:.3f} | {fmt(r.get('gflops'), '.1f')} | "
                     f"{fmt(r.get('peak_mib'), '.1f')} | {fmt(r.get('torch_ms'), '.3f')} | {fmt(r.get('ratio'), '.2f')} |")
    with open("bench-results/latest.md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote bench-results/latest.json and bench-results/latest.md")


if __name__ == "__main__":
    main()
