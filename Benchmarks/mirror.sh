#!/usr/bin/env bash
# Mirror benchmarks (issue 9), on loopback: "PhysioNet" is nginx throttled to 256 KiB/s per connection (it
# serves the lists, and is what --source physionet reads); the mirror is a second nginx server, unthrottled,
# serving the same files S3-style at /physionet-open/<slug>/<version>/ (reached with AWS_ENDPOINT_URL, as the
# AWS CLI is). Uses run.sh's workloads (bench-work/srv; made when missing).
#   a. 1 GiB file, --source aws-open       vs  curl -o from the mirror              target <= 1.1x
#   b. 20,000 files, --source aws-open     vs  curl -Z --parallel-max 16 from it     target <= 1.2x
#      (timed twice: list from throttled PhysioNet, and list from an unthrottled one, to show the list's share)
#   c. the mimic-iv-demo tree and the 20,000 files: --source aws-open vs --source physionet, both throttled
#                                                                                    target >= 10x
#      --with-big adds the 1 GiB file to c, once: about 9 minutes at 8 connections of 256 KiB/s from "PhysioNet".
# Usage: Benchmarks/mirror.sh [--runs N] [--with-big]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
work="$repo/bench-work-mirror"
runs=3
throttled_sets=(bench-demo@2.2 bench-small@1.0)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --with-big) throttled_sets+=(bench-big@1.0); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
(cd "$repo" && swift build -c release --product physio >/dev/null 2>&1)
physio="${PHYSIO:-$repo/.build/release/physio}"
srv="$repo/bench-work/srv"
[ -f "$srv/files/bench-small/1.0/SHA256SUMS.txt" ] || python3 "$here/make_workloads.py" "$srv" --demo "$repo/Fixtures/physionet/files/mimic-iv-demo/2.2"

rm -rf "$work" && mkdir -p "$work"
port=18201; slow_port=18202; mirror_port=18203
sed -e "s|@ROOT@|$srv|g" -e "s|@WORK@|$work|g" -e "s|@PORT@|$port|g" -e "s|@SLOW_PORT@|$slow_port|g" "$here/nginx.conf.in" \
  | sed '$d' > "$work/nginx.conf"
cat >> "$work/nginx.conf" <<CONF
  server {
    listen 127.0.0.1:$mirror_port;
    location /physionet-open/ { alias $srv/files/; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$mirror_port/physionet-open/bench-demo/2.2/SHA256SUMS.txt" >/dev/null 2>&1 && break; sleep 0.1; done
fast="http://127.0.0.1:$port"; slow="http://127.0.0.1:$slow_port"; mirror="http://127.0.0.1:$mirror_port"
export AWS_ENDPOINT_URL="$mirror" XDG_STATE_HOME="$work/state"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
run_id=0
fresh() { run_id=$((run_id + 1)); FRESH="$work/run-$run_id"; }
# shellcheck source=quiet-disk.sh
. "$here/quiet-disk.sh"
say() { echo "$*" | tee -a "$work/results.txt"; }
say "physio mirror benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, runs=$runs"
check() { # every file verified, from the mirror
  "$physio" verify "$1" --dest "$2" >/dev/null 2>&1 || { echo "verification failed for $1 in $2" >&2; exit 1; }
}

# a. 1 GiB
cb=(); pb=()
quiet_disk
for _ in $(seq "$runs"); do
  fresh; cb+=("$(seconds curl -s -o "$FRESH.out" "$mirror/physionet-open/bench-big/1.0/big.bin")"); quiet_disk
  fresh; pb+=("$(seconds "$physio" fetch bench-big@1.0 --base-url "$slow" --source aws-open --dest "$FRESH" --quiet)"); check bench-big@1.0 "$FRESH"; quiet_disk
done
c=$(printf '%s\n' "${cb[@]}" | median); p=$(printf '%s\n' "${pb[@]}" | median)
say "$(printf 'a. 1 GiB from the mirror: curl -o %.3fs  physio --source aws-open %.3fs (hashed + durable)  ratio %.2f (target <= 1.1)' "$c" "$p" "$(echo "$p / $c" | bc -l)")"

# b. 20,000 files
sed "s|^[0-9a-f]* \(.*\)$|url = \"$mirror/physionet-open/bench-small/1.0/\1\"\noutput = \"@DEST@/\1\"|" "$srv/files/bench-small/1.0/SHA256SUMS.txt" > "$work/curl.cfg.in"
cs=(); ps=(); pf=()
quiet_disk
for _ in $(seq "$runs"); do
  fresh; sed "s|@DEST@|$FRESH|" "$work/curl.cfg.in" > "$work/curl.cfg"; cs+=("$(seconds curl -s -Z --parallel-max 16 --create-dirs -K "$work/curl.cfg")"); quiet_disk
  fresh; ps+=("$(seconds "$physio" fetch bench-small@1.0 --base-url "$slow" --source aws-open --dest "$FRESH" --quiet)"); check bench-small@1.0 "$FRESH"; quiet_disk
  fresh; pf+=("$(seconds "$physio" fetch bench-small@1.0 --base-url "$fast" --source aws-open --dest "$FRESH" --quiet)"); check bench-small@1.0 "$FRESH"; quiet_disk
done
c=$(printf '%s\n' "${cs[@]}" | median); p=$(printf '%s\n' "${ps[@]}" | median); f=$(printf '%s\n' "${pf[@]}" | median)
say "$(printf 'b. 20,000 files from the mirror: curl -Z --parallel-max 16 %.3fs  physio --source aws-open (list throttled) %.3fs ratio %.2f; (list unthrottled) %.3fs ratio %.2f (target <= 1.2)' "$c" "$p" "$(echo "$p / $c" | bc -l)" "$f" "$(echo "$f / $c" | bc -l)")"

# c. mirror vs PhysioNet, both behind the throttle for the list
for dataset in "${throttled_sets[@]}"; do
  fresh; direct=$(seconds "$physio" fetch "$dataset" --base-url "$slow" --dest "$FRESH" --quiet); check "$dataset" "$FRESH"; quiet_disk
  fresh; viamirror=$(seconds "$physio" fetch "$dataset" --base-url "$slow" --source aws-open --dest "$FRESH" --quiet); check "$dataset" "$FRESH"; quiet_disk
  say "$(printf 'c. %s, PhysioNet throttled to 256 KiB/s a connection: --source physionet %.2fs  --source aws-open %.2fs  speed-up %.1fx (target >= 10)' "$dataset" "$direct" "$viamirror" "$(echo "$direct / $viamirror" | bc -l)")"
done
rm -rf "$work"/run-*
echo "results in $work/results.txt"
