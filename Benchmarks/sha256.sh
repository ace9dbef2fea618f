#!/usr/bin/env bash
# SHA-256 throughput: PhysioKit's streaming hasher against OpenSSL's own best and coreutils, same machine, same run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$repo" && swift build -c release --product physio-bench >/dev/null)
seconds="${1:-3}"
"$repo/.build/release/physio-bench" sha256 "$seconds"
openssl speed -evp sha256 -bytes 1048576 -seconds "$seconds" 2>/dev/null | awk '/^sha256/ {printf "openssl speed -evp sha256 -bytes 1048576: %.0f MB/s\n", $2 * 1000 / 1e6 * 1}'
tmp="$(mktemp)"; head -c $((512 << 20)) /dev/zero > "$tmp"; cat "$tmp" > /dev/null
start=$(date +%s.%N); sha256sum "$tmp" > /dev/null; end=$(date +%s.%N)
echo "coreutils sha256sum: $(echo "512 * 1048576 / ($end - $start) / 1000000" | bc) MB/s (512 MiB from page cache)"
rm -f "$tmp"
