#!/usr/bin/env bash
# Builds tensh in release (when needed) and runs it with the given arguments.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
swift build -c release --package-path "$root" --product tensh >&2
exec "$root/.build/release/tensh" "$@"
