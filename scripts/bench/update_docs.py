"""Copies the latest benchmark run (bench-results/latest.md, written by
scripts/bench.sh) into Docs/Performance.md, between the markers
<!-- BEGIN BENCH RESULTS --> and <!-- END BENCH RESULTS -->, replacing what is
there. Run from the project root after a whole run on an idle machine:

    scripts/bench.sh --rounds 5 && python3 scripts/bench/update_docs.py
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN, END = "<!-- BEGIN BENCH RESULTS -->", "<!-- END BENCH RESULTS -->"


def replaced(doc, results):
    """`doc` with the text between the markers replaced by `results`, or None without both markers."""
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        return None
    return doc[:start + len(BEGIN)] + "\n" + results.strip() + "\n" + doc[end:]


def main():
    doc_path = os.path.join(ROOT, "Docs", "Performance.md")
    results_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench-results", "latest.md")
    with open(doc_path) as f:
        doc = f.read()
    with open(results_path) as f:
        results = f.read()
    new = replaced(doc, results)
    if new is None:
        sys.exit(f"update_docs: {doc_path} lacks the markers {BEGIN} ... {END}")
    with open(doc_path, "w") as f:
        f.write(new)
    print(f"update_docs: {results_path} -> {doc_path}")


if __name__ == "__main__":
    main()
