#!/usr/bin/env bash
# Runs the whole test suite. Numeric tests are heavy, so everything is built
# and run in the release configuration (with testing enabled). Then a short
# libFuzzer run over the parser and evaluator (TENSH_FUZZ_SECONDS, default 60;
# 0 skips it). Ends with a "N passed, N failed" line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
swift build -c release -Xswiftc -enable-testing
log="$(mktemp)"
status=0
swift test -c release -Xswiftc -enable-testing --disable-swift-testing "$@" 2>&1 | tee "$log" || status=1
summary=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -1 || true)
rm -f "$log"
fuzz_seconds="${TENSH_FUZZ_SECONDS:-60}"
fuzz_passed=0
fuzz_failed=0
# The fuzz run counts as one more test; it is skipped when arguments select tests.
if [ "$fuzz_seconds" != "0" ] && [ $# -eq 0 ]; then
    if scripts/fuzz.sh "$fuzz_seconds"; then fuzz_passed=1; else fuzz_failed=1; status=1; fi
fi
if [ -n "$summary" ]; then
    executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
    failures=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
else
    executed=0; failures=1; status=1  # the test run did not finish
fi
echo "$(( executed - failures + fuzz_passed )) passed, $(( failures + fuzz_failed )) failed"
exit $status
