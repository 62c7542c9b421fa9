#!/usr/bin/env bash
# Runs the test suite under a sanitizer: AddressSanitizer (memory errors in the
# raw-pointer kernels) or ThreadSanitizer (races in the parallel kernels).
#   scripts/sanitize.sh address|thread [swift test arguments, e.g. --filter Conv]
# Release configuration with testing enabled, in its own build folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kind="${1:-address}"
shift || true
case "$kind" in address|thread) ;; *) echo "usage: scripts/sanitize.sh address|thread [args]" >&2; exit 64 ;; esac
cd "$root"
scripts/setup.sh
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}"
swift test -c release -Xswiftc -enable-testing --sanitize="$kind" --scratch-path ".build-$kind" "$@"
