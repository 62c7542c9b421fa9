"""The benchmark's targets computed from its rows (pure functions, no torch:
scripts/bench/test_summary.py tests them).

A row is a dict with at least "case", "threads", "ms", and when PyTorch ran,
"ratio" (tensh ms / PyTorch ms); SGEMM rows may carry "openblas_ratio" (tensh
ms / NumPy-OpenBLAS ms); conv forward rows carry "tensor_mib" and "peak_mib"
for the memory target."""
import math

FORWARD = [f"c{i}-fwd" for i in range(1, 10)]
# conv2d backward c1-c9 (c6-bwd is conv_transpose2d's backward) and conv_transpose2d's forward.
BACKWARD = [f"c{i}-bwd" for i in range(1, 10)] + ["c6-fwd"]
CONV_EVERY, CONV_GEOMEAN = 1.0, 0.9
# The conv cases big enough to split well over two threads (10-45 ms at one thread).
LARGE_CONV = [f"{c}-{kind}" for c in ("c2", "c3", "c4", "c7") for kind in ("fwd", "bwd")]
SCALING = 1.8
DIGITS_RATIO, INTERPRETER_RATIO, STARTUP_MS = 0.8, 0.5, 10
# The digits CNN as Sequential + SGD against the hand-written loop, same process: no slower.
NN_RATIO = 1.0
INTERPRETER_CASE = "interp-small-ops-x100000"


def geomean(values):
    values = list(values)
    if not values or any(v <= 0 for v in values):
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def memory_limit_mib(tensor_mib):
    """The memory target: peak resident memory <= 1.5 x (input + weight + output) + 64 MiB."""
    return 1.5 * tensor_mib + 64


def add_memory_check(row):
    """Adds "memory_limit_mib" and "memory_ok" to a row that has "tensor_mib"."""
    if row.get("tensor_mib"):
        row["memory_limit_mib"] = memory_limit_mib(row["tensor_mib"])
        row["memory_ok"] = row["peak_mib"] <= row["memory_limit_mib"]
    return row


def _ratios(rows, names):
    return {r["case"]: r["ratio"] for r in rows if r["case"] in names and r.get("ratio")}


def _group(label, rows, names, every, mean):
    """One ratio-group target: every ratio <= `every`, geometric mean <= `mean`."""
    ratios = _ratios(rows, names)
    target = f"{label}: every ratio <= {every}, geometric mean <= {mean}"
    if not ratios:
        return (target, "not measured", "-")
    g = geomean(ratios.values())
    above = [f"{c} {v:.2f}" for c, v in ratios.items() if v > every]
    missing = [c for c in names if c not in ratios]
    measured = f"geomean {g:.2f} over {len(ratios)}; " + (f"above {every}: " + ", ".join(above) if above
                                                         else f"max {max(ratios.values()):.2f}")
    if missing:
        measured += "; missing " + ", ".join(missing)
    if above:
        met = "no"
    elif g > mean:
        met = "every case yes, geomean no"
    else:
        met = "yes"
    if missing:
        met += " (partial run)"
    return (target, measured, met)


def speedups(rows):
    """{case: 1-thread ms / 2-thread ms} for the cases measured at both thread counts."""
    one = {r["case"]: r["ms"] for r in rows if r["threads"] == 1}
    return {r["case"]: one[r["case"]] / r["ms"] for r in rows if r["threads"] == 2 and r["case"] in one and r["ms"]}


def _ratio_line(target, row, limit, key="ratio"):
    if not row or not row.get(key):
        return None
    measured = f"{row['ms']:.0f} ms vs {row['ms'] / row[key]:.0f} ms, ratio {row[key]:.2f}"
    return (target, measured, "yes" if row[key] <= limit else "no")


def _nn_line(row):
    if not row or not row.get("loop_ms"):
        return None
    ratio = row["ms"] / row["loop_ms"]
    return (f"digits CNN with modules and an optimizer <= {NN_RATIO} x the hand-written loop (same process)",
            f"{row['ms']:.0f} ms vs {row['loop_ms']:.0f} ms, ratio {ratio:.2f}", "yes" if ratio <= NN_RATIO else "no")


def _sgemm_line(by_case):
    rows = [by_case[n] for n in ("sgemm-1024", "sgemm-2048") if n in by_case]
    measured = [r for r in rows if r.get("openblas_ratio")]
    if not measured:
        return None
    text = ", ".join(f"{r['case']} {r['openblas_ratio']:.2f}" + (f" (PyTorch {r['ratio']:.2f})" if r.get("ratio") else "")
                     for r in measured)
    text += f"; OpenBLAS kernel {measured[0].get('openblas_kernel', '?')}"
    met = "yes" if len(measured) == 2 and all(r["openblas_ratio"] <= 1.0 for r in measured) else "no"
    return ("SGEMM 1024^3 and 2048^3 at or ahead of NumPy's OpenBLAS (ratio <= 1.0)", text, met)


def _scaling_line(rows):
    ups = speedups(rows)
    large = {c: ups[c] for c in LARGE_CONV if c in ups}
    if not large:
        return None
    below = [f"{c} {v:.2f}x" for c, v in large.items() if v < SCALING]
    measured = ("below: " + ", ".join(below)) if below else f"min {min(large.values()):.2f}x over {len(large)}"
    return (f"large conv cases ({', '.join(LARGE_CONV)}) 1 -> 2 threads >= {SCALING}x", measured,
            "no" if below else "yes")


def _memory_line(at):
    checked = [r for r in at if "memory_ok" in r]
    if not checked:
        return None
    over = [f"{r['case']} {r['peak_mib']:.0f} > {r['memory_limit_mib']:.0f} MiB" for r in checked if not r["memory_ok"]]
    worst = max(checked, key=lambda r: r["peak_mib"] / r["memory_limit_mib"])
    measured = ("over: " + ", ".join(over)) if over else \
        f"{len(checked)} cases within; closest {worst['case']} {worst['peak_mib']:.0f} of {worst['memory_limit_mib']:.0f} MiB"
    return ("conv forward peak RSS <= 1.5 x (input + weight + output) + 64 MiB", measured, "yes" if not over else "no")


def targets(rows, threads):
    """(target, measured, met) lines for the rows at `threads` (start-up has threads 0;
    the scaling line compares the 1- and 2-thread rows)."""
    at = [r for r in rows if r["threads"] == threads]
    by_case = {r["case"]: r for r in at}
    lines = [_sgemm_line(by_case),
             _group("conv2d forward c1-c9", at, FORWARD, CONV_EVERY, CONV_GEOMEAN),
             _group("conv2d backward c1-c9 and conv_transpose2d (c6-fwd)", at, BACKWARD, CONV_EVERY, CONV_GEOMEAN),
             _ratio_line(f"digits training 10 epochs <= {DIGITS_RATIO} x PyTorch", by_case.get("digits-train"),
                         DIGITS_RATIO),
             _nn_line(by_case.get("digits-nn")),
             _ratio_line(f"interpreter overhead (100,000 small ops) <= {INTERPRETER_RATIO} x PyTorch eager",
                         by_case.get(INTERPRETER_CASE), INTERPRETER_RATIO)]
    for case in ("bilinear-fwd", "bilinear-bwd"):
        lines.append(_ratio_line(f"interpolate {case} <= 1.0 x PyTorch", by_case.get(case), 1.0))
    lines.append(_ratio_line("small-tensor autograd step <= 1.0 x PyTorch eager", by_case.get("autograd-small-x10000"),
                             1.0))
    lines.append(_scaling_line(rows))
    startup = next((r for r in rows if r["case"].startswith("startup")), None)
    if startup:
        lines.append((f"start-up under {STARTUP_MS} ms", f"{startup['ms']:.1f} ms",
                      "yes" if startup["ms"] < STARTUP_MS else "no"))
    lines.append(_memory_line(at))
    return [line for line in lines if line]
