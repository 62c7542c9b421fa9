"""The benchmark's output: one line per case as it finishes, the targets
summary, and bench-results/latest.json and latest.md (one table per thread
count with the 1 -> 2 thread speed-up, then start-up and the targets).
scripts/bench/update_docs.py copies latest.md into Docs/Performance.md."""
import datetime
import json
import os
import platform

from summary import speedups


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def memory_cell(r):
    """"limit ok" / "limit OVER" for rows with a memory target, else "-"."""
    if "memory_ok" not in r:
        return "-"
    return f"{r['memory_limit_mib']:.1f} {'ok' if r['memory_ok'] else 'OVER'}"


def print_row(r):
    torch_ms = f"{r['torch_ms']:10.3f}" if r.get("torch_ms") else f"{'-':>10}"
    ratio = f"{r['ratio']:6.2f}" if r.get("ratio") else f"{'-':>6}"
    gflops = f"{r['gflops']:8.1f}" if r.get("gflops") else f"{'-':>8}"
    line = (f"{r['case']:<24} {r['threads']:>2}  {r['ms']:10.3f} ms {gflops} GFLOP/s {r['peak_mib']:8.1f} MiB"
            f" (limit {memory_cell(r):>12})  torch {torch_ms} ms  ratio {ratio}")
    if r.get("openblas_ms"):
        line += f"  openblas {r['openblas_ms']:.3f} ms ratio {r['openblas_ratio']:.2f}"
    if "accuracy" in r:
        line += f"  accuracy {r['accuracy']:.3f}"
        if r.get("torch_accuracy") is not None:
            line += f" (torch {r['torch_accuracy']:.3f})"
    print(line, flush=True)


def print_targets(lines, threads):
    print(f"\ntargets at {threads} threads:")
    for target, measured, met in lines:
        print(f"  [{met}] {target}: {measured}")


def _fmt(v, spec):
    return format(v, spec) if v else "-"


def _table(rows, ups):
    lines = ["| case | tensh ms | GFLOP/s | peak MiB | memory limit MiB | PyTorch ms | tensh/PyTorch "
             "| OpenBLAS ms | tensh/OpenBLAS | 1→2 threads |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        up = ups.get(r["case"]) if r["threads"] == 2 else None
        lines.append(f"| {r['case']} | {r['ms']:.3f} | {_fmt(r.get('gflops'), '.1f')} | "
                     f"{_fmt(r.get('peak_mib'), '.1f')} | {memory_cell(r)} | {_fmt(r.get('torch_ms'), '.3f')} | "
                     f"{_fmt(r.get('ratio'), '.2f')} | {_fmt(r.get('openblas_ms'), '.3f')} | "
                     f"{_fmt(r.get('openblas_ratio'), '.2f')} | {_fmt(up, '.2f')} |")
    return lines


def markdown(rows, target_lines, summary_threads, meta):
    out = [f"Measured {meta['date']} on {meta['cpu']} ({meta['cores']} cores), "
           f"{meta['minutes']:.1f} minutes in all, load average {meta['load_before']:.2f} before.", ""]
    ups = speedups(rows)
    for threads in sorted({r["threads"] for r in rows if r["threads"]}):
        at = [r for r in rows if r["threads"] == threads]
        out += [f"### {threads} thread{'s' if threads > 1 else ''}", ""] + _table(at, ups) + [""]
        kernels = sorted({r["openblas_kernel"] for r in at if r.get("openblas_kernel")})
        if kernels:
            out += [f"OpenBLAS (NumPy, `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` unset): {', '.join(kernels)}.", ""]
        for r in at:
            if "accuracy" in r:
                torch_acc = f", PyTorch {r['torch_accuracy']:.3f}" if r.get("torch_accuracy") is not None else ""
                out += [f"{r['case']}: held-out accuracy tensh {r['accuracy']:.3f}{torch_acc}.", ""]
    for r in rows:
        if not r["threads"]:
            out += [f"Start-up, `tensh -e '1'` (minimum of 20 runs): {r['ms']:.1f} ms.", ""]
    if target_lines:
        out += [f"### Against the targets ({summary_threads} threads each side, same run)", "",
                "| target | measured | met |", "|---|---|---|"]
        out += [f"| {t} | {m} | {met} |" for t, m, met in target_lines]
    return "\n".join(out) + "\n"


def write_results(rows, target_lines, summary_threads, seconds, load_before):
    os.makedirs("bench-results", exist_ok=True)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu_name(), "cores": os.cpu_count(), "minutes": seconds / 60,
            "load_before": load_before}
    targets = [{"target": t, "measured": m, "met": met} for t, m, met in target_lines]
    with open("bench-results/latest.json", "w") as f:
        json.dump({"machine": meta, "rows": rows, "targets_threads": summary_threads, "targets": targets}, f,
                  indent=1)
    with open("bench-results/latest.md", "w") as f:
        f.write(markdown(rows, target_lines, summary_threads, meta))
    print("wrote bench-results/latest.json and bench-results/latest.md")
