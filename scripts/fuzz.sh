#!/usr/bin/env bash
# Fuzzes the parser and evaluator with libFuzzer for SECONDS (default 60).
#   scripts/fuzz.sh [SECONDS]
# Builds tensh-fuzz with -sanitize=fuzzer,address into .build-fuzz, runs it in
# a scratch directory (so `save` calls write nowhere important) starting from
# the seed corpus Tests/Fuzz/corpus, and exits non-zero when a crash, a trap
# or a timeout was found; reproducers land in fuzz-artifacts/. Replay them with
# `swift run tensh-fuzz fuzz-artifacts/` and commit them to Tests/Fuzz/regressions/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
cd "$root"
scripts/setup.sh
swift build -c release --scratch-path .build-fuzz --product tensh-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DTENSH_FUZZ >&2
work="$(mktemp -d)"
mkdir -p "$root/fuzz-artifacts" "$work/corpus"
cp "$root"/Tests/Fuzz/corpus/* "$work/corpus/"
cd "$work"
status=0
# LeakSanitizer stops the process with ptrace, which hangs in sandboxes; leaks
# are covered by the memory tests instead. libFuzzer cuts the corpus's long seeds
# (100,000-term chains, up to 400 KB) to -max_len: raising it to 512 KiB made every
# mutation that long, 125 executions a minute instead of 7,937. The whole seeds
# run in the test suite (FuzzCorpusTests) and with `swift run tensh-fuzz Tests/Fuzz/corpus`.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
"$root/.build-fuzz/release/tensh-fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$root/fuzz-artifacts/" \
    corpus 2>&1 | tee "$work/fuzz.log" | grep -E "^(#[0-9]+.*(pulse|DONE)|stat::|==[0-9]+==|SUMMARY|INFO: Running)" || true
grep -qE "^stat::number_of_executed_units" "$work/fuzz.log" || status=1
grep -qE "ERROR: (libFuzzer|AddressSanitizer)|deadly signal|SUMMARY: " "$work/fuzz.log" && status=1
if [ $status -ne 0 ]; then
    echo "fuzz: a crash or timeout was found; see fuzz-artifacts/ and $work/fuzz.log" >&2
else
    echo "fuzz: $(grep -E '^stat::number_of_executed_units' "$work/fuzz.log" | awk '{print $2}') executions in ${seconds}s, no crash"
fi
rm -rf "$work/corpus"
exit $status
