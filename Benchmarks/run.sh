#!/usr/bin/env bash
# Times physio against curl and aria2c on loopback nginx, as issue "physio fetch" asks:
#   1. one 1 GiB file, verified             vs  curl -s -o FILE (no hashing)           target <= 1.2x
#   2. 20,000 small files in nested folders  vs  curl -Z --parallel-max 4               target <= 1.4x
#   3. the mimic-iv-demo tree, limit_rate 256k per connection, default -j
#                                            vs  aria2c -j 4 -x 1                       target <= 0.7x
#   4. a no-op rerun over the 20,000 files                                              target < 0.3 s
#   and peak RSS of every physio run                                                   target < 64 MiB
#   then the cloud-mirror cases of Benchmarks/mirror.sh (same workloads, same runs; skip with --no-mirror)
# Usage: Benchmarks/run.sh [--small-files N] [--big-mib N] [--runs N] [--no-mirror]
# Needs: nginx-light, aria2, curl, time (installed with apt-get when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
work="$repo/bench-work"
small_files=20000
big_mib=1024
runs=3
mirror=1
while [ $# -gt 0 ]; do
  case "$1" in
    --small-files) small_files="$2"; shift 2 ;;
    --big-mib) big_mib="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --no-mirror) mirror=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v aria2c >/dev/null || need+=(aria2)
[ -x /usr/bin/time ] || need+=(time)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

(cd "$repo" && swift build -c release --product physio >/dev/null)
physio="$repo/.build/release/physio"

mkdir -p "$work"
srv="$work/srv"
python3 "$here/make_workloads.py" "$srv" --small-files "$small_files" --big-mib "$big_mib" --demo "$repo/Fixtures/physionet/files/mimic-iv-demo/2.2"

port=18181
slow_port=18182
sed -e "s|@ROOT@|$srv|g" -e "s|@WORK@|$work|g" -e "s|@PORT@|$port|g" -e "s|@SLOW_PORT@|$slow_port|g" \
  "$here/nginx.conf.in" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/files/" >/dev/null 2>&1 && break; sleep 0.1; done

base="http://127.0.0.1:$port"
slow="http://127.0.0.1:$slow_port"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
# Every run writes into a folder of its own and nothing is deleted until the end. This disk is mounted
# with `discard`: deleting tens of thousands of files queues TRIMs that hold up ext4's journal commits, so
# file creation stays several times slower for minutes afterwards and would favour whichever tool ran
# first. Before the timed phases the script waits until the disk has been idle (no writes or discards
# completing) for three seconds.
run_id=0
fresh() { run_id=$((run_id + 1)); FRESH="$work/run-$run_id"; }
# shellcheck source=quiet-disk.sh
. "$here/quiet-disk.sh"
rss_kib() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

report="$work/results.txt"
: > "$report"
say() { echo "$*" | tee -a "$report"; }
say "physio benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, runs=$runs"

# 1. many small files (first, on a quiet disk)
curl_small=(); physio_small=()
quiet_disk
for _ in $(seq "$runs"); do
  fresh; dest="$FRESH"
  sed "s|^[0-9a-f]* \(.*\)$|url = \"$base/files/bench-small/1.0/\1\"\noutput = \"$dest/\1\"|" \
    "$srv/files/bench-small/1.0/SHA256SUMS.txt" > "$work/curl-small.cfg"
  curl_small+=("$(seconds curl -s -Z --parallel-max 4 --create-dirs -K "$work/curl-small.cfg")")
  quiet_disk
  fresh; physio_small+=("$(seconds "$physio" fetch bench-small@1.0 --base-url "$base" --dest "$FRESH" --quiet -j 4)")
  quiet_disk
done
cs=$(printf '%s\n' "${curl_small[@]}" | median); ps_=$(printf '%s\n' "${physio_small[@]}" | median)
fresh; small_dest="$FRESH"
rss_small=$(rss_kib "$physio" fetch bench-small@1.0 --base-url "$base" --dest "$small_dest" --quiet -j 4)
say "$(printf '%d small files: curl -Z %.3fs  physio %.3fs  ratio %.2f (target <= 1.4)  physio peak RSS %d KiB' "$small_files" "$cs" "$ps_" "$(echo "$ps_ / $cs" | bc -l)" "$rss_small")"

# 2. no-op rerun
noop=()
for _ in $(seq "$runs"); do
  noop+=("$(seconds "$physio" fetch bench-small@1.0 --base-url "$base" --dest "$small_dest" --quiet -j 4)")
done
nr=$(printf '%s\n' "${noop[@]}" | median)
rss_noop=$(rss_kib "$physio" fetch bench-small@1.0 --base-url "$base" --dest "$small_dest" --quiet)
say "$(printf 'no-op rerun over %d files: %.3fs (target < 0.3)  peak RSS %d KiB' "$small_files" "$nr" "$rss_noop")"

# 3. one big file. physio makes the file durable before its manifest says verified; curl does not sync,
# so "curl && sync" is timed too.
curl_big=(); curl_sync=(); physio_big=()
dd_sync=()
quiet_disk
for _ in $(seq "$runs"); do
  fresh; curl_big+=("$(seconds curl -s -o "$FRESH.out" "$base/files/bench-big/1.0/big.bin")"); quiet_disk
  fresh; curl_sync+=("$(seconds sh -c "curl -s -o '$FRESH.out' '$base/files/bench-big/1.0/big.bin' && sync")"); quiet_disk
  fresh; physio_big+=("$(seconds "$physio" fetch bench-big@1.0 --base-url "$base" --dest "$FRESH" --quiet)"); quiet_disk
  # The floor for any tool that makes 1 GiB durable on this disk: write it and fsync, no network at all.
  fresh; dd_sync+=("$(seconds dd if="$srv/files/bench-big/1.0/big.bin" of="$FRESH.dd" bs=1M conv=fsync)"); quiet_disk
done
dd_=$(printf '%s\n' "${dd_sync[@]}" | median); cb=$(printf '%s\n' "${curl_big[@]}" | median); cs_=$(printf '%s\n' "${curl_sync[@]}" | median); pb=$(printf '%s\n' "${physio_big[@]}" | median)
fresh; rss_big=$(rss_kib "$physio" fetch bench-big@1.0 --base-url "$base" --dest "$FRESH" --quiet)
quiet_disk
say "$(printf '1 GiB file: curl -o %.3fs, curl -o && sync %.3fs, dd conv=fsync from page cache %.3fs, physio %.3fs (hashed + durable): ratio %.2f vs curl (target <= 1.2), %.2f vs curl+sync, %.2f vs the durable-write floor; peak RSS %d KiB' "$cb" "$cs_" "$dd_" "$pb" "$(echo "$pb / $cb" | bc -l)" "$(echo "$pb / $cs_" | bc -l)" "$(echo "$pb / $dd_" | bc -l)" "$rss_big")"

# 4. throttled demo tree
sed "s|^[0-9a-f]* \(.*\)$|$slow/files/bench-demo/2.2/\1\n  out=\1|" "$srv/files/bench-demo/2.2/SHA256SUMS.txt" > "$work/aria2.list"
fresh; ad=$(seconds aria2c -q -j 4 -x 1 -d "$FRESH" -i "$work/aria2.list")
fresh; pd=$(seconds "$physio" fetch bench-demo@2.2 --base-url "$slow" --dest "$FRESH" --quiet)
fresh; rss_demo=$(rss_kib "$physio" fetch bench-demo@2.2 --base-url "$slow" --dest "$FRESH" --quiet)
say "$(printf 'mimic-iv-demo at 256 KiB/s per connection: aria2c -j4 -x1 %.2fs  physio (default -j) %.2fs  ratio %.2f (target <= 0.7)  peak RSS %d KiB' "$ad" "$pd" "$(echo "$pd / $ad" | bc -l)" "$rss_demo")"
# Deleting runs queues discards; leave the next benchmark a quiet disk.
rm -rf "$work"/run-*
quiet_disk
echo "results in $report"
# The mirror cases reuse these workloads (they need bench-work/srv at its default sizes).
if [ "$mirror" = 1 ] && [ "$small_files" = 20000 ] && [ "$big_mib" = 1024 ]; then
  "$here/mirror.sh" --runs "$runs"
fi
