#!/usr/bin/env bash
# Soak test: runs a small CNN training loop in tensh for MINUTES (default 5)
# and samples the process's resident memory every few seconds. A session that
# frees its graphs keeps RSS flat; the script fails if the last quarter of the
# samples grew by more than 10% over the first quarter's.
#   scripts/soak.sh [MINUTES]
# TENSH_BIN=path/to/tensh skips the build (e.g. a binary from a test build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
minutes="${1:-5}"
cd "$root"
tensh="${TENSH_BIN:-}"
if [ -z "$tensh" ]; then
    scripts/setup.sh
    swift build -c release --product tensh >&2
    tensh=.build/release/tensh
fi
script="$(mktemp --suffix=.tsh)"
cat > "$script" <<TSH
# One training step of a small CNN on random data, repeated until time is up.
x = randn(16, 1, 8, 8, seed=1)
t = randint(0, 10, [16], seed=2)
w1 = param(he_normal(8, 1, 3, 3, seed=3))
w2 = param(he_normal(10, 128, seed=4))
end = clock() + ${minutes} * 60
steps = 0
while clock() < end {
    h = max_pool2d(relu(conv2d(x, w1, padding=1)), 2)
    loss = cross_entropy(linear(reshape(h, 16, 128), w2), t)
    g1, g2 = grad(loss, [w1, w2])
    w1 -= 0.01 * g1
    w2 -= 0.01 * g2
    steps += 1
}
print("steps", steps)
TSH
"$tensh" "$script" &
pid=$!
samples=()
echo "seconds rss_mib"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$rss" ]; then
        samples+=("$rss")
        echo "$(( $(date +%s) - start )) $(( rss / 1024 ))"
    fi
    sleep 5
done
wait "$pid"
rm -f "$script"
n=${#samples[@]}
if [ "$n" -lt 8 ]; then echo "soak: too few samples ($n)"; exit 0; fi
q=$(( n / 4 ))
first=$(printf '%s\n' "${samples[@]:0:q}" | sort -n | tail -1)
last=$(printf '%s\n' "${samples[@]:n-q:q}" | sort -n | tail -1)
echo "soak: max RSS first quarter $(( first / 1024 )) MiB, last quarter $(( last / 1024 )) MiB"
if [ "$last" -gt $(( first + first / 10 )) ]; then echo "soak: RSS grew" >&2; exit 1; fi
