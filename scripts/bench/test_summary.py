"""Unit tests of the benchmark's bookkeeping (no torch, no tensh; runs in well
under a second): python3 scripts/bench/test_summary.py"""
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import markdown  # noqa: E402
from summary import add_memory_check, geomean, memory_limit_mib, targets  # noqa: E402
from tensh_runs import parse_digits  # noqa: E402


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
        rows = [row(f"c{i}-fwd", 1.0) for i in range(1, 10)]
        rows[3] = row("c4-fwd", 1.3)
        rows.append(row("c1-fwd", 5.0, threads=1))  # other thread counts do not count
        lines = {t: (m, met) for t, m, met in targets(rows, 2)}
        measured, met = lines["conv2d forward c1-c9: every ratio <= 1.25, geometric mean <= 1.0"]
        self.assertEqual(met, "no")
        self.assertIn("c4-fwd 1.30", measured)
        self.assertIn(f"geomean {math.exp(math.log(1.3) / 9):.2f} over 9", measured)

    def test_backward_group_includes_conv_transpose_forward(self):
        rows = [row(f"c{i}-bwd", 1.1) for i in range(1, 10)] + [row("c6-fwd", 1.4)]
        lines = {t: (m, met) for t, m, met in targets(rows, 2)}
        measured, met = lines["conv2d backward c1-c9 and conv_transpose2d (c6-fwd): every ratio <= 1.5, "
                              "geometric mean <= 1.2"]
        self.assertIn("over 10", measured)
        self.assertEqual(met, "yes")

    def test_partial_runs_and_other_targets(self):
        rows = [row("c2-fwd", 0.9), row("sgemm-1024", 1.05), row("sgemm-2048", 1.2),
                row("digits-train", 0.8, accuracy=0.97),
                {"case": "startup (tensh -e '1')", "threads": 0, "ms": 9.0, "peak_mib": 0},
                add_memory_check(row("c2-fwd-mem", 1.0, tensor_mib=20.0) | {"peak_mib": 100.0})]
        lines = {t.split(":")[0].split(" (")[0]: (m, met) for t, m, met in targets(rows, 2)}
        self.assertEqual(lines["conv2d forward c1-c9"][1], "yes (partial run)")
        self.assertEqual(lines["SGEMM 1024^3 and 2048^3 >= 90% of PyTorch's speed"][1], "no")
        self.assertEqual(lines["start-up under 50 ms"][1], "yes")
        self.assertEqual(lines["digits training no slower than PyTorch"][1], "yes")
        memory = lines["conv forward peak RSS <= 1.5 x"]
        self.assertEqual(memory[1], "no")
        self.assertIn("100 > 94 MiB", memory[0])

    def test_markdown_groups_by_threads(self):
        rows = [row("c2-fwd", 1.0, threads=1), row("c2-fwd", 1.2, threads=2)]
        text = markdown(rows, targets(rows, 2), 2, {"date": "d", "cpu": "cpu", "cores": 2, "minutes": 1.0,
                                                     "load_before": 0.1})
        self.assertLess(text.index("### 1 thread"), text.index("### 2 threads"))
        self.assertIn("| c2-fwd | 12.000 |", text)
        self.assertIn("Against the targets of issue 5 (2 threads", text)


class DigitsOutputTests(unittest.TestCase):
    def test_parses_both_lines(self):
        out = "loading\ndigits-train ms 1234.5\ndigits-train accuracy 0.9721\n"
        self.assertEqual(parse_digits(out), {"ms": 1234.5, "accuracy": 0.9721})

    def test_missing_or_broken_lines(self):
        self.assertIsNone(parse_digits("digits-train ms 12\n"))
        self.assertIsNone(parse_digits("digits-train ms nan?\ndigits-train accuracy 0.9\n"))


if __name__ == "__main__":
    unittest.main()
