#!/usr/bin/env bash
# Fuzzes tensh with libFuzzer for SECONDS in total (default 60), split evenly
# over six targets: the language (parser and evaluator, tensh-fuzz) and the
# file parsers PNG, JPEG, zip/npz/checkpoints, safetensors and pickle
# (tensh-fuzz-files with TENSH_FUZZ_TARGET).
#   scripts/fuzz.sh [SECONDS]
# Builds both with -sanitize=fuzzer,address into .build-fuzz, runs each in a
# scratch directory (so `save` calls write nowhere important) starting from its
# seed corpus (Tests/Fuzz/corpus, Tests/Fuzz/files/<target>), and exits non-zero
# when a crash, a trap or a timeout was found; reproducers land in
# fuzz-artifacts/<target>-*. Replay them with `swift run tensh-fuzz FILE` or
# `TENSH_FUZZ_TARGET=<target> swift run tensh-fuzz-files FILE`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
cd "$root"
scripts/setup.sh
for product in tensh-fuzz tensh-fuzz-files; do
    swift build -c release --scratch-path .build-fuzz --product "$product" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DTENSH_FUZZ >&2
done
targets=(language png jpeg zip safetensors pickle)
share=$(( seconds / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1
work="$(mktemp -d)"
mkdir -p "$root/fuzz-artifacts"
# LeakSanitizer stops the process with ptrace, which hangs in sandboxes; leaks
# are covered by the memory tests instead. libFuzzer cuts the corpus's long seeds
# (100,000-term chains, up to 400 KB) to -max_len: raising it to 512 KiB made every
# mutation that long, 125 executions a minute instead of 7,937. The whole seeds
# run in the test suite (FuzzCorpusTests) and with `swift run tensh-fuzz Tests/Fuzz/corpus`.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
status=0
summary=()
for target in "${targets[@]}"; do
    mkdir -p "$work/$target/corpus"
    if [ "$target" = language ]; then
        binary="$root/.build-fuzz/release/tensh-fuzz"; seeds="$root/Tests/Fuzz/corpus"; max_len=4096
    else
        binary="$root/.build-fuzz/release/tensh-fuzz-files"; seeds="$root/Tests/Fuzz/files/$target"; max_len=32768
    fi
    cp "$seeds"/* "$work/$target/corpus/"
    log="$work/$target/fuzz.log"
    (cd "$work/$target" && TENSH_FUZZ_TARGET="$target" "$binary" -max_total_time="$share" -timeout=10 \
        -rss_limit_mb=4096 -detect_leaks=0 -max_len="$max_len" -print_final_stats=1 \
        -artifact_prefix="$root/fuzz-artifacts/$target-" corpus 2>&1 | tee "$log" \
        | grep -E "^(#[0-9]+.*(pulse|DONE)|==[0-9]+==|SUMMARY|INFO: Running)" | sed "s/^/$target: /") || true
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' || true)
    if [ -z "$runs" ] || grep -qE "ERROR: (libFuzzer|AddressSanitizer)|deadly signal|SUMMARY: " "$log"; then
        echo "fuzz: $target found a crash or timeout; see fuzz-artifacts/ and $log" >&2
        status=1
    fi
    summary+=("$target ${runs:-0}")
    rm -rf "$work/$target/corpus"
done
if [ $status -eq 0 ]; then
    echo "fuzz: executions in ${seconds}s: ${summary[*]}; no crash"
fi
exit $status
