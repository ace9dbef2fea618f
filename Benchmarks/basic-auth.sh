#!/usr/bin/env bash
# `--auth wget-basic` against the session login, on a credentialed dataset of 265 small files, with the
# simulator charging 0.1 s per password check as PhysioNet's PBKDF2 does (docs/protocol.md §5: 0.74 s
# for 5 cookieless Basic requests). A Basic client that drops the server's cookies pays that on every file.
# Usage: Benchmarks/basic-auth.sh [--baseline PATH-TO-AN-OLDER-physio]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

# The simulator's debug build is enough (and already built by the tests): the password checks dominate.
(cd "$repo" && swift build -c release --product physio >/dev/null && swift build --product physionet-sim >/dev/null)
physio="$repo/.build/release/physio"
sim="$repo/.build/debug/physionet-sim"
work="$(mktemp -d)"
trap 'kill $sim_pid 2>/dev/null || true; rm -rf "$work"' EXIT

# The default fixture's users, and mimiciii 1.4 (which `credentialed` may download) with 265 files.
python3 - "$repo/Fixtures/physionet/fixture.json" "$work/fixture.json" <<'EOF'
import json, sys
fixture = json.load(open(sys.argv[1]))
project = next(p for p in fixture["projects"] if p["slug"] == "mimiciii")
project["versions"][0]["files"] = {"generated": {"seed": 3, "files": [
    {"path": f"d{i % 10}/f{i:03d}.csv.gz", "size": 2000 + (i * 37) % 6000} for i in range(265)]}}
fixture["projects"] = [project]
json.dump(fixture, open(sys.argv[2], "w"))
EOF

mkfifo "$work/ready"
"$sim" --fixture "$work/fixture.json" --port 0 --behind-tls-front --fault password-check=0.1 < /dev/null > "$work/ready" &
sim_pid=$!
read -r _ _ base < "$work/ready"

run() {
  local label="$1" binary="$2"; shift 2
  local state="$work/state-$RANDOM" dest="$work/data-$RANDOM" start end
  start=$(date +%s.%N)
  env -i PATH="$PATH" HOME="$work" XDG_STATE_HOME="$state" NETRC="$work/none" \
    PHYSIONET_USERNAME=credentialed PHYSIONET_PASSWORD=Cred-Pass-1 \
    "$binary" fetch mimiciii@1.4 --base-url "$base" --dest "$dest" --quiet "$@" >/dev/null
  end=$(date +%s.%N)
  printf '%-34s %6.2f s\n' "$label" "$(echo "$end - $start" | bc -l)"
}

echo "265 files of mimiciii 1.4 from the simulator at $base, 0.1 s per password check"
run "physio, session login" "$physio"
run "physio, --auth wget-basic" "$physio" --auth wget-basic
if [ -n "$baseline" ]; then run "baseline, --auth wget-basic" "$baseline" --auth wget-basic; fi
