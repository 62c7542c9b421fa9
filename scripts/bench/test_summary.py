"""Unit tests of the benchmark's bookkeeping (no torch, no tensh; runs in well
under a second): python3 scripts/bench/test_summary.py"""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import markdown  # noqa: E402
from summary import add_memory_check, geomean, memory_limit_mib, speedups, targets  # noqa: E402
from tensh_runs import parse_digits, parse_script_output  # noqa: E402
from update_docs import BEGIN, END, replaced  # noqa: E402


def row(case, ratio, threads=2, **extra):
    return {"case": case, "threads": threads, "ms": 10 * ratio, "torch_ms": 10.0, "ratio": ratio,
            "gflops": 0, "peak_mib": 20.0, **extra}


class SummaryTests(unittest.TestCase):
    def test_geomean(self):
        self.assertAlmostEqual(geomean([1, 4]), 2.0)
        self.assertAlmostEqual(geomean([0.5, 2, 1]), 1.0)
        self.assertIsNone(geomean([]))
        self.assertIsNone(geomean([1, 0]))

    def test_memory_limit_and_check(self):
        self.assertAlmostEqual(memory_limit_mib(30.0), 109.0)
        ok = add_memory_check({"case": "c3-fwd", "peak_mib": 109.0, "tensor_mib": 30.0})
        self.assertTrue(ok["memory_ok"])
        over = add_memory_check({"case": "c3-fwd", "peak_mib": 109.5, "tensor_mib": 30.0})
        self.assertFalse(over["memory_ok"])
        self.assertNotIn("memory_ok", add_memory_check({"case": "c3-bwd", "peak_mib": 500.0}))

    def test_forward_group_names_cases_above_the_limit(self):
        rows = [row(f"c{i}-fwd", 0.8) for i in range(1, 10)]
        rows[3] = row("c4-fwd", 1.1)
        rows.append(row("c1-fwd", 5.0, threads=1))  # other thread counts do not count
        lines = {t: (m, met) for t, m, met in targets(rows, 2)}
        measured, met = lines["conv2d forward c1-c9: every ratio <= 1.0, geometric mean <= 0.9"]
        self.assertEqual(met, "no")
        self.assertIn("c4-fwd 1.10", measured)
        self.assertIn(f"geomean {math.exp((8 * math.log(0.8) + math.log(1.1)) / 9):.2f} over 9", measured)

    def test_geomean_above_its_limit_with_every_case_within(self):
        rows = [row(f"c{i}-fwd", 0.95) for i in range(1, 10)]
        lines = {t: met for t, _, met in targets(rows, 2)}
        self.assertEqual(lines["conv2d forward c1-c9: every ratio <= 1.0, geometric mean <= 0.9"],
                         "every case yes, geomean no")

    def test_backward_group_includes_conv_transpose_forward(self):
        rows = [row(f"c{i}-bwd", 0.85) for i in range(1, 10)] + [row("c6-fwd", 0.95)]
        lines = {t: (m, met) for t, m, met in targets(rows, 2)}
        measured, met = lines["conv2d backward c1-c9 and conv_transpose2d (c6-fwd): every ratio <= 1.0, "
                              "geometric mean <= 0.9"]
        self.assertIn("over 10", measured)
        self.assertEqual(met, "yes")

    def test_partial_runs_and_other_targets(self):
        rows = [row("c2-fwd", 0.9), row("sgemm-1024", 0.5, openblas_ratio=0.98, openblas_kernel="openblas SkylakeX"),
                row("sgemm-2048", 0.5, openblas_ratio=1.03), row("digits-train", 0.8, accuracy=0.97),
                row("interp-small-ops-x100000", 0.6),
                {"case": "startup (tensh -e '1')", "threads": 0, "ms": 9.0, "peak_mib": 0},
                add_memory_check(row("c2-fwd-mem", 1.0, tensor_mib=20.0) | {"peak_mib": 100.0})]
        lines = {t.split(":")[0].split(" (")[0]: (m, met) for t, m, met in targets(rows, 2)}
        self.assertEqual(lines["conv2d forward c1-c9"][1], "yes (partial run)")
        sgemm = lines["SGEMM 1024^3 and 2048^3 at or ahead of NumPy's OpenBLAS"]
        self.assertEqual(sgemm[1], "no")
        self.assertIn("sgemm-2048 1.03 (PyTorch 0.50)", sgemm[0])
        self.assertIn("SkylakeX", sgemm[0])
        self.assertEqual(lines["start-up under 10 ms"][1], "yes")
        self.assertEqual(lines["digits training 10 epochs <= 0.8 x PyTorch"][1], "yes")
        self.assertEqual(lines["interpreter overhead"][1], "no")
        memory = lines["conv forward peak RSS <= 1.5 x"]
        self.assertEqual(memory[1], "no")
        self.assertIn("100 > 94 MiB", memory[0])

    def test_markdown_groups_by_threads(self):
        rows = [row("c2-fwd", 1.0, threads=1), row("c2-fwd", 1.2, threads=2)]
        text = markdown(rows, targets(rows, 2), 2, {"date": "d", "cpu": "cpu", "cores": 2, "minutes": 1.0,
                                                     "load_before": 0.1})
        self.assertLess(text.index("### 1 thread"), text.index("### 2 threads"))
        self.assertIn("| c2-fwd | 12.000 |", text)
        self.assertIn("| 0.83 |", text)  # the 1 -> 2 thread speed-up, 10 / 12 ms
        self.assertIn("Against the targets (2 threads", text)

    def test_speedups_and_scaling_target(self):
        rows = [row(c, 1.0, threads=1) for c in ("c2-fwd", "c3-fwd")] + [row("c2-fwd", 0.52), row("c3-fwd", 0.6)]
        self.assertEqual(speedups(rows), {"c2-fwd": 10 / 5.2, "c3-fwd": 10 / 6.0})
        scaling = [(m, met) for t, m, met in targets(rows, 2) if t.startswith("large conv cases")]
        self.assertEqual(scaling, [("below: c3-fwd 1.67x", "no")])


class DigitsOutputTests(unittest.TestCase):
    def test_parses_both_lines(self):
        out = "loading\ndigits-train ms 1234.5\ndigits-train accuracy 0.9721\n"
        self.assertEqual(parse_digits(out), {"ms": 1234.5, "accuracy": 0.9721})

    def test_missing_or_broken_lines(self):
        self.assertIsNone(parse_digits("digits-train ms 12\n"))
        self.assertIsNone(parse_digits("digits-train ms nan?\ndigits-train accuracy 0.9\n"))

    def test_modules_case_needs_both_trainings(self):
        out = "digits-loop ms 80.5\ndigits-nn ms 76.25\n"
        self.assertEqual(parse_script_output("digits-nn", out), {"ms": 76.25, "loop_ms": 80.5})
        self.assertIsNone(parse_script_output("digits-nn", "digits-nn ms 76.25\n"))

    def test_modules_target_against_the_loop(self):
        def nn_line(ms, loop_ms):
            rows = [{"case": "digits-nn", "threads": 2, "ms": ms, "loop_ms": loop_ms, "peak_mib": 30.0}]
            return [(m, met) for t, m, met in targets(rows, 2) if t.startswith("digits CNN with modules")]
        self.assertEqual(nn_line(76.0, 80.0), [("76 ms vs 80 ms, ratio 0.95", "yes")])
        self.assertEqual(nn_line(84.0, 80.0), [("84 ms vs 80 ms, ratio 1.05", "no")])

    def test_other_script_cases_need_only_ms(self):
        out = "interp-small-ops-x100000 ms 81.5\ninterp-small-ops-x100000 total 0.25\n"
        self.assertEqual(parse_script_output("interp-small-ops-x100000", out), {"ms": 81.5})
        self.assertIsNone(parse_script_output("interp-small-ops-x100000", "digits-train ms 3\n"))


class UpdateDocsTests(unittest.TestCase):
    def test_replaces_only_between_the_markers(self):
        doc = f"intro\n{BEGIN}\nold table\n{END}\nafter\n"
        self.assertEqual(replaced(doc, "new table\n\n"), f"intro\n{BEGIN}\nnew table\n{END}\nafter\n")
        self.assertIsNone(replaced("no markers", "x"))


if __name__ == "__main__":
    unittest.main()
