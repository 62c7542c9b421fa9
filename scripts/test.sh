#!/usr/bin/env bash
# Runs the whole test suite. Numeric tests are heavy, so everything is built
# and run in the release configuration (with testing enabled).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
swift build -c release -Xswiftc -enable-testing
swift test -c release -Xswiftc -enable-testing "$@"
