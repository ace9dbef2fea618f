#!/usr/bin/env bash
# Interleaved A/B of two physio binaries on run.sh's 20,000-file workload (loopback nginx): fresh fetch and
# no-op rerun, alternating A and B in each round so disk and VM noise fall on both alike. For "before/after"
# figures of a change to the fetch path: build the old commit in a worktree, pass both binaries.
# Usage: Benchmarks/ab.sh A_BINARY B_BINARY [--rounds N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
a="$1"; b="$2"; shift 2
rounds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work="$repo/bench-work-ab"
srv="$repo/bench-work/srv"
[ -f "$srv/files/bench-small/1.0/SHA256SUMS.txt" ] || python3 "$here/make_workloads.py" "$srv" --demo "$repo/Fixtures/physionet/files/mimic-iv-demo/2.2"
rm -rf "$work" && mkdir -p "$work"
port=18211
sed -e "s|@ROOT@|$srv|g" -e "s|@WORK@|$work|g" -e "s|@PORT@|$port|g" -e "s|@SLOW_PORT@|$((port + 1))|g" "$here/nginx.conf.in" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/files/" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port"
export XDG_STATE_HOME="$work/state"
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# shellcheck source=quiet-disk.sh
. "$here/quiet-disk.sh"
fa=(); fb=(); na=(); nb=()
for round in $(seq "$rounds"); do
  for side in a b; do
    binary=$a; [ "$side" = b ] && binary=$b
    dest="$work/$side-$round"
    quiet_disk
    t=$(seconds "$binary" fetch bench-small@1.0 --base-url "$base" --dest "$dest" --quiet -j 4)
    n=$(seconds "$binary" fetch bench-small@1.0 --base-url "$base" --dest "$dest" --quiet -j 4)
    if [ "$side" = a ]; then fa+=("$t"); na+=("$n"); else fb+=("$t"); nb+=("$n"); fi
  done
done
printf 'A %s: fresh median %.3fs (%s), no-op median %.3fs\n' "$a" "$(printf '%s\n' "${fa[@]}" | median)" "$(printf '%.2f ' "${fa[@]}")" "$(printf '%s\n' "${na[@]}" | median)"
printf 'B %s: fresh median %.3fs (%s), no-op median %.3fs\n' "$b" "$(printf '%s\n' "${fb[@]}" | median)" "$(printf '%.2f ' "${fb[@]}")" "$(printf '%s\n' "${nb[@]}" | median)"
rm -rf "$work"/a-* "$work"/b-*
