#!/usr/bin/env bash
# Times a no-op `physio sync` (issue 8's target: 5 unchanged datasets, one of 20,000 files, under 1 s on
# loopback), against loopback nginx serving the workloads of run.sh: bench-small (20,000 files),
# bench-demo (the mimic-iv-demo tree) and three copies of the demo under other names.
# Each timed run must make one conditional request per dataset for its list (304), besides the newer-version
# check of each pinned dataset, and no data request; the script checks that in nginx's access log. Prints the median of --runs and physio's peak RSS.
# Usage: Benchmarks/sync.sh [--runs N]   Needs: nginx-light, time (apt-get when missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
work="$repo/bench-work-sync"
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
need=()
command -v nginx >/dev/null || need+=(nginx-light)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
(cd "$repo" && swift build -c release --product physio >/dev/null 2>&1)
physio="${PHYSIO:-$repo/.build/release/physio}"

rm -rf "$work" && mkdir -p "$work"
srv="$work/srv"
python3 "$here/make_workloads.py" "$srv" --small-files 20000 --big-mib 1 --demo "$repo/Fixtures/physionet/files/mimic-iv-demo/2.2" >/dev/null
for name in a b c; do cp -r "$srv/files/bench-demo" "$srv/files/bench-demo-$name"; done
port=18191
sed -e "s|@ROOT@|$srv|g" -e "s|@WORK@|$work|g" -e "s|@PORT@|$port|g" -e "s|@SLOW_PORT@|$((port + 1))|g" \
  -e "s|access_log off;|access_log $work/access.log;|" "$here/nginx.conf.in" > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/files/" >/dev/null 2>&1 && break; sleep 0.1; done

root="$work/data"
mkdir -p "$root"
{
  printf '[[dataset]]\nslug = "bench-small"\nversion = "1.0"\n\n'
  for slug in bench-demo bench-demo-a bench-demo-b bench-demo-c; do
    printf '[[dataset]]\nslug = "%s"\nversion = "2.2"\n\n' "$slug"
  done
} > "$root/physio.toml"
export PHYSIO_BASE_URL="http://127.0.0.1:$port" XDG_STATE_HOME="$work/state"
(cd "$root" && "$physio" sync --quiet) || { echo "the first sync failed" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
times=()
for _ in $(seq "$runs"); do
  : > "$work/access.log"
  start=$(date +%s.%N)
  (cd "$root" && "$physio" sync --quiet) || { echo "a no-op sync failed" >&2; exit 1; }
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
  lists=$(grep -c 'SHA256SUMS.txt HTTP/1.1" 304' "$work/access.log" || true)
  # Besides the lists only the newer-version check of each pinned dataset (its /content/<slug>/ page).
  others=$(grep -v 'SHA256SUMS.txt HTTP/1.1" 304' "$work/access.log" | grep -vc 'GET /content/' || true)
  [ "$lists" = 5 ] && [ "$others" = 0 ] || { echo "expected 5 conditional list requests and no data request; got $lists and $others others" >&2; cat "$work/access.log" >&2; exit 1; }
done
rss=$(cd "$root" && /usr/bin/time -f "%M" "$physio" sync --quiet 2>&1 >/dev/null | tail -1)
printf 'no-op sync of 5 datasets (20,000 + 4 x 34 files): median %.3f s of %d (%s), peak RSS %d KiB; 5 list requests, all 304, no data request\n' \
  "$(printf '%s\n' "${times[@]}" | median)" "$runs" "$(printf '%.3f ' "${times[@]}")" "$rss"
