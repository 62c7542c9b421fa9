"""Issue 5's targets computed from benchmark rows (pure functions, no torch:
scripts/bench/test_summary.py tests them).

A row is a dict with at least "case", "threads", "ms", and when PyTorch ran,
"ratio" (tensh ms / PyTorch ms); conv forward rows carry "tensor_mib" and
"peak_mib" for the memory target."""
import math

FORWARD = [f"c{i}-fwd" for i in range(1, 10)]
# conv2d backward c1-c9 (c6-bwd is conv_transpose2d's backward) and conv_transpose2d's forward.
BACKWARD = [f"c{i}-bwd" for i in range(1, 10)] + ["c6-fwd"]
SGEMM_RATIO = 1 / 0.9  # "at least 90% of PyTorch's speed"


def geomean(values):
    values = list(values)
    if not values or any(v <= 0 for v in values):
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def memory_limit_mib(tensor_mib):
    """Issue 5: peak resident memory <= 1.5 x (input + weight + output) + 64 MiB."""
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


def targets(rows, threads):
    """(target, measured, met) lines for the rows at `threads` (start-up has threads 0)."""
    at = [r for r in rows if r["threads"] == threads]
    by_case = {r["case"]: r for r in at}
    lines = []
    sgemm = [(n, by_case[n].get("ratio")) for n in ("sgemm-1024", "sgemm-2048") if n in by_case]
    sgemm = [(n, v) for n, v in sgemm if v]
    if sgemm:
        measured = ", ".join(f"{n} {v:.2f}" for n, v in sgemm)
        met = "yes" if len(sgemm) == 2 and all(v <= SGEMM_RATIO for _, v in sgemm) else "no"
        lines.append((f"SGEMM 1024^3 and 2048^3 >= 90% of PyTorch's speed (ratio <= {SGEMM_RATIO:.2f})",
                      measured, met))
    lines.append(_group("conv2d forward c1-c9", at, FORWARD, 1.25, 1.0))
    lines.append(_group("conv2d backward c1-c9 and conv_transpose2d (c6-fwd)", at, BACKWARD, 1.5, 1.2))
    small = by_case.get("autograd-small-x10000")
    if small and small.get("ratio"):
        lines.append(("small-tensor autograd step faster than PyTorch eager", f"ratio {small['ratio']:.2f}",
                      "yes" if small["ratio"] < 1 else "no"))
    startup = next((r for r in rows if r["case"].startswith("startup")), None)
    if startup:
        lines.append(("start-up under 50 ms", f"{startup['ms']:.1f} ms", "yes" if startup["ms"] < 50 else "no"))
    digits = by_case.get("digits-train")
    if digits and digits.get("ratio"):
        lines.append(("digits training no slower than PyTorch",
                      f"{digits['ms']:.0f} ms vs {digits['torch_ms']:.0f} ms, ratio {digits['ratio']:.2f}",
                      "yes" if digits["ratio"] <= 1 else "no"))
    checked = [r for r in at if "memory_ok" in r]
    if checked:
        over = [f"{r['case']} {r['peak_mib']:.0f} > {r['memory_limit_mib']:.0f} MiB" for r in checked
                if not r["memory_ok"]]
        worst = max(checked, key=lambda r: r["peak_mib"] / r["memory_limit_mib"])
        measured = ("over: " + ", ".join(over)) if over else \
            f"{len(checked)} cases within; closest {worst['case']} {worst['peak_mib']:.0f} of {worst['memory_limit_mib']:.0f} MiB"
        lines.append(("conv forward peak RSS <= 1.5 x (input + weight + output) + 64 MiB", measured,
                      "yes" if not over else "no"))
    return lines
