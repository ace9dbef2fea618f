#!/usr/bin/env bash
# Times physio on a dataset of hundreds of thousands of small files (a PhysioNet waveform layout,
# pXX/pXXXXXXXX/sXXXXXXXX/*.hea|*.dat) served by loopback nginx:
#   a. fresh fetch            physio fetch -j 4  vs  curl -Z --parallel-max 4 --create-dirs   (+ physio peak RSS)
#                             and vs curl followed by `sync -f` (physio's files are durable when it exits)
#   b. no-op rerun            physio fetch over the tree it just fetched                       (time + peak RSS)
#   c. verify                 physio verify (stat-only: size, mtime, inode)                     (time + peak RSS)
#   d. dry run                physio fetch --dry-run over the fetched tree, and into an empty dest (time + peak RSS)
#   e. state on disk          du -sb <dest>/.physio after the fetch
# Each figure is the median of --runs. Every fetch writes into a fresh ext4 filesystem (a sparse image,
# mkfs.ext4 -E nodiscard, loop-mounted nodiscard) that is unmounted and deleted afterwards: this machine's
# disk is mounted with `discard`, and deleting hundreds of thousands of files there slows every later run.
# Within each run curl and physio alternate (odd runs curl first, even runs physio first); b-e run on the
# filesystem physio just filled, page cache warm.
# Usage: Benchmarks/scale.sh [--files N] [--runs N] [--physio PATH] [--label TEXT] [--curl|--no-curl]
#   --physio PATH  measure this binary and build nothing (default: scripts/release --build-only, what users install)
# Server trees are kept in bench-work-scale/srv-N (about 4.7 KiB on disk per file); delete them when done.
# Results are appended to bench-work-scale/results.txt (never truncated, so before/after runs accumulate);
# every single measurement goes to bench-work-scale/raw.txt.
# Needs root (mkfs, mount -o loop), nginx-light, curl, time, e2fsprogs, bc (installed with apt-get when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
work="$repo/bench-work-scale"
files=400000
runs=3
physio=""
label=""
with_curl=1
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --physio) physio="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --curl) with_curl=1; shift ;;
    --no-curl) with_curl=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$files" in ''|*[!0-9]*) echo "--files wants a number" >&2; exit 2 ;; esac
case "$runs" in ''|*[!0-9]*|0) echo "--runs wants a number >= 1" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "scale.sh needs root (mkfs.ext4, mount -o loop)" >&2; exit 2; }

need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v bc >/dev/null || need+=(bc)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -z "$physio" ]; then
  # The binary users install (static Swift libraries). A plain `swift build -c release` maps the dynamic
  # Swift libraries, full Foundation and ICU among them: 31 MB of resident file pages against 23 MB.
  physio=$(cd "$repo" && scripts/release --build-only | tail -1)
fi
[ -x "$physio" ] || { echo "no executable physio at $physio" >&2; exit 2; }
physio="$(cd "$(dirname "$physio")" && pwd)/$(basename "$physio")"

mkdir -p "$work"
# Generated data stays out of git whatever the top-level .gitignore says.
[ -f "$work/.gitignore" ] || echo '*' > "$work/.gitignore"
# One server tree per N, so switching between sizes does not rewrite (and delete) hundreds of thousands of files.
srv="$work/srv-$files"
mnt="$work/mnt"
img="$work/fs.img"
python3 "$here/make_scale_tree.py" "$srv" --files "$files"
tree="$srv/files/bench-scale/1.0"
tree_bytes=$(awk '{print $2}' "$tree/SHA256SUMS.txt" | (cd "$tree" && xargs -d '\n' stat -c %s) | awk '{s += $1} END {print s}')

port=18191
slow_port=18192
base="http://127.0.0.1:$port"
nginx_pid=""
cleanup() {
  if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt" 2>/dev/null || umount -l "$mnt" || true; fi
  rm -f "$img"
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# A mount or image left behind by an interrupted run.
cleanup
if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
  echo "port $port is already taken (an nginx from an earlier run?)" >&2; exit 1
fi
sed -e "s|@ROOT@|$srv|g" -e "s|@WORK@|$work|g" -e "s|@PORT@|$port|g" -e "s|@SLOW_PORT@|$slow_port|g" \
  "$here/nginx.conf.in" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "$base/files/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf -o /dev/null "$base/files/bench-scale/1.0/SHA256SUMS.txt" || { echo "nginx did not come up on $port" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed CMD...: sets T (wall seconds), RSS (peak KiB), RC; the command's stderr is kept in $work/last.err.
timed() {
  local start end
  start=$(date +%s.%N)
  if /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>"$work/last.err"; then RC=0; else RC=$?; fi
  end=$(date +%s.%N)
  T=$(printf '%.3f' "$(echo "$end - $start" | bc -l)")
  RSS=$(tail -1 "$work/rss")
}
failures=0
declare -A failed=()  # phase -> one line per failure ("exit 4", "0 of N files"), shown on its result line
check() { # check PHASE WHAT: notes a non-zero exit
  if [ "$RC" != 0 ]; then
    failures=$((failures + 1))
    failed[$1]+="exit $RC"$'\n'
    echo "!! $2 exited $RC: $(tail -3 "$work/last.err" | tr '\n' ' ')" | tee -a "$work/raw.txt" >&2
  fi
}
# flag PHASE: " [FAILED: exit 4 x3; 0 of N files x3]" when a run of PHASE failed, else nothing
flag() {
  [ -n "${failed[$1]:-}" ] || return 0
  printf ' [FAILED: %s]' "$(printf '%s' "${failed[$1]}" | sort | uniq -c | awk '{n = $1; $1 = ""; sub(/^ +/, ""); printf "%s%s x%d", (NR > 1 ? "; " : ""), $0, n}')"
}
# Same idle-disk wait as run.sh: the image's deletion queues discards on the main disk.
# shellcheck source=quiet-disk.sh
. "$here/quiet-disk.sh"
# A fresh ext4 at $mnt: room for every file in its own 4 KiB block and then some, an inode for each,
# inode tables and journal written now (not by ext4lazyinit in the background during the timed run).
fresh_fs() {
  rm -f "$img"
  truncate -s $(( (files * 8 + 1024 * 1024) * 1024 )) "$img"
  mkfs.ext4 -q -F -E nodiscard,lazy_itable_init=0,lazy_journal_init=0 -N $(( files * 3 / 2 + 20000 )) "$img"
  mkdir -p "$mnt"
  mount -o loop,nodiscard "$img" "$mnt"
}
drop_fs() {
  umount "$mnt"
  rm -f "$img"
  quiet_disk
}
count_files() { { find "$mnt/bench-scale/1.0" -type f ! -name SHA256SUMS.txt 2>/dev/null || true; } | wc -l; }

sed "s|^[0-9a-f]* \(.*\)$|url = \"$base/files/bench-scale/1.0/\1\"\noutput = \"$mnt/bench-scale/1.0/\1\"|" \
  "$tree/SHA256SUMS.txt" > "$work/curl-scale.cfg"

fetch_args=(fetch bench-scale@1.0 --base-url "$base" --dest "$mnt" --quiet -j 4)
t_curl=(); r_curl=(); t_curl_sync=(); t_physio=(); r_physio=()
t_noop=(); r_noop=(); t_verify=(); r_verify=(); t_dry=(); r_dry=(); t_dry0=(); r_dry0=(); state=()
run_curl() {
  fresh_fs
  timed curl -s -Z --parallel-max 4 --create-dirs -K "$work/curl-scale.cfg"; check curl "curl -Z"
  t_curl+=("$T"); r_curl+=("$RSS")
  local curl_rc=$RC
  # curl leaves its files in the page cache; physio's run includes making them durable (syncs before it
  # records them verified). What the same durability would add to curl's time:
  timed sync -f "$mnt"; check curl "sync -f after curl"; t_curl_sync+=("$T")
  local got; got=$(count_files)
  [ "$got" = "$files" ] || { failures=$((failures + 1)); failed[curl]+="$got of $files files"$'\n'; echo "!! curl left $got of $files files" | tee -a "$work/raw.txt" >&2; }
  echo "run $1 curl: ${t_curl[-1]}s ${r_curl[-1]}KiB rc=$curl_rc files=$got, then sync -f ${t_curl_sync[-1]}s" >> "$work/raw.txt"
  drop_fs
}
run_physio() {
  fresh_fs
  timed "$physio" "${fetch_args[@]}"; check fetch "physio fetch"
  t_physio+=("$T"); r_physio+=("$RSS")
  echo "run $1 physio fetch: ${T}s ${RSS}KiB rc=$RC" >> "$work/raw.txt"
  state+=("$(du -sb "$mnt/.physio" 2>/dev/null | cut -f1 || echo 0)")
  timed "$physio" "${fetch_args[@]}"; check noop "physio no-op rerun"
  t_noop+=("$T"); r_noop+=("$RSS"); echo "run $1 no-op rerun: ${T}s ${RSS}KiB rc=$RC" >> "$work/raw.txt"
  timed "$physio" verify bench-scale@1.0 --dest "$mnt"; check verify "physio verify"
  t_verify+=("$T"); r_verify+=("$RSS"); echo "run $1 verify: ${T}s ${RSS}KiB rc=$RC" >> "$work/raw.txt"
  timed "$physio" "${fetch_args[@]}" --dry-run; check dry "physio fetch --dry-run"
  t_dry+=("$T"); r_dry+=("$RSS"); echo "run $1 dry-run (fetched): ${T}s ${RSS}KiB rc=$RC" >> "$work/raw.txt"
  mkdir -p "$mnt/empty"
  timed "$physio" fetch bench-scale@1.0 --base-url "$base" --dest "$mnt/empty" --quiet -j 4 --dry-run; check dry0 "physio fetch --dry-run (empty dest)"
  t_dry0+=("$T"); r_dry0+=("$RSS"); echo "run $1 dry-run (empty dest): ${T}s ${RSS}KiB rc=$RC" >> "$work/raw.txt"
  local got; got=$(count_files)
  [ "$got" = "$files" ] || { failures=$((failures + 1)); failed[fetch]+="$got of $files files"$'\n'; echo "!! physio left $got of $files files" | tee -a "$work/raw.txt" >&2; }
  drop_fs
}
med() { printf '%s\n' "$@" | median; }

report="$work/results.txt"
say() { echo "$*" | tee -a "$report"; }
started=$(date +%s)
say ""
say "physio scale benchmark${label:+ [$label]}, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, runs=$runs, $files files ($tree_bytes bytes), $("$physio" --version 2>/dev/null | head -1) at $physio"
echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) ${label:-unlabelled} files=$files runs=$runs physio=$physio" >> "$work/raw.txt"
quiet_disk
for run in $(seq "$runs"); do
  if [ "$with_curl" = 1 ] && [ $((run % 2)) = 1 ]; then run_curl "$run"; fi
  run_physio "$run"
  if [ "$with_curl" = 1 ] && [ $((run % 2)) = 0 ]; then run_curl "$run"; fi
done

pf=$(med "${t_physio[@]}"); pr=$(med "${r_physio[@]}")
if [ "$with_curl" = 1 ]; then
  cf=$(med "${t_curl[@]}"); cr=$(med "${r_curl[@]}")
  ratio=$(printf '%.2f' "$(echo "$pf / $cf" | bc -l)")
  [ -z "${failed[fetch]:-}${failed[curl]:-}" ] || ratio="n/a"
  cs=$(med "${t_curl_sync[@]}")
  say "$(printf 'a. %d files fresh fetch: curl -Z %.3fs%s (then sync -f: +%.3fs)  physio -j 4 %.3fs%s  ratio %s (to curl + sync: %.2f)  physio peak RSS %d KiB (curl %d KiB)' "$files" "$cf" "$(flag curl)" "$cs" "$pf" "$(flag fetch)" "$ratio" "$(echo "$pf / ($cf + $cs)" | bc -l)" "$pr" "$cr")"
else
  say "$(printf 'a. %d files fresh fetch: physio -j 4 %.3fs%s  peak RSS %d KiB (curl not run)' "$files" "$pf" "$(flag fetch)" "$pr")"
fi
say "$(printf 'b. no-op rerun over %d files: %.3fs  peak RSS %d KiB%s' "$files" "$(med "${t_noop[@]}")" "$(med "${r_noop[@]}")" "$(flag noop)")"
say "$(printf 'c. verify (stat-only) over %d files: %.3fs  peak RSS %d KiB%s' "$files" "$(med "${t_verify[@]}")" "$(med "${r_verify[@]}")" "$(flag verify)")"
say "$(printf 'd. fetch --dry-run over the fetched tree: %.3fs  peak RSS %d KiB%s; into an empty dest: %.3fs  peak RSS %d KiB%s' "$(med "${t_dry[@]}")" "$(med "${r_dry[@]}")" "$(flag dry)" "$(med "${t_dry0[@]}")" "$(med "${r_dry0[@]}")" "$(flag dry0)")"
st=$(med "${state[@]}")
say "$(printf 'e. .physio/ after the fetch: %d bytes (du -sb), %.1f bytes per file%s' "$st" "$(echo "$st / $files" | bc -l)" "$(flag fetch)")"
[ "$failures" = 0 ] || say "!! $failures failed run(s) or incomplete trees: see $work/raw.txt"
say "(wall time of this benchmark: $(( $(date +%s) - started ))s; results in $report, every run in $work/raw.txt)"
[ "$failures" = 0 ]
