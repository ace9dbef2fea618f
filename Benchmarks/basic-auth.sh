#!/usr/bin/env bash
# `--auth wget-basic` against the session login, on a credentialed dataset of 265 small files and an open
# copy of it, with the simulator charging 0.1 s per password check as PhysioNet's PBKDF2 does (docs/protocol.md
# §5: 0.74 s for 5 cookieless Basic requests). A Basic client that drops the server's cookies
# pays that on every file; one that sends Basic to open data without being asked pays it there too
# (docs/protocol.md §5), since an open version never sets the challenge's cookie.
# Usage: Benchmarks/basic-auth.sh [--baseline PATH-TO-AN-OLDER-physio] [--debug]
#   --debug: time the debug build of physio instead of building a release one (the password checks
#   dominate either way).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
baseline=""
configuration=release
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline="$2"; shift 2 ;;
    --debug) configuration=debug; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

# The simulator's debug build is enough (and already built by the tests): the password checks dominate.
(cd "$repo" && swift build -c "$configuration" --product physio >/dev/null && swift build --product physionet-sim >/dev/null)
physio="$repo/.build/$configuration/physio"
sim="$repo/.build/debug/physionet-sim"
work="$(mktemp -d)"
trap 'kill $sim_pid 2>/dev/null || true; rm -rf "$work"' EXIT

# The default fixture's users, mimiciii 1.4 (which `credentialed` may download) with 265 files, and an
# open copy of it, `bench-open` 1.0.
python3 - "$repo/Fixtures/physionet/fixture.json" "$work/fixture.json" <<'EOF'
import copy, json, sys
fixture = json.load(open(sys.argv[1]))
project = next(p for p in fixture["projects"] if p["slug"] == "mimiciii")
project["versions"][0]["files"] = {"generated": {"seed": 3, "files": [
    {"path": f"d{i % 10}/f{i:03d}.csv.gz", "size": 2000 + (i * 37) % 6000} for i in range(265)]}}
open_project = copy.deepcopy(project)
open_project["slug"] = "bench-open"
open_project["title"] = "Open benchmark copy"
version = open_project["versions"][0]
version.update({"version": "1.0", "access": "OPEN"})
for key in ("dua", "requiredTrainings", "doi"):
    version.pop(key, None)
version["license"] = "Open Data Commons Attribution License v1.0"
fixture["projects"] = [project, open_project]
json.dump(fixture, open(sys.argv[2], "w"))
EOF

mkfifo "$work/ready"
"$sim" --fixture "$work/fixture.json" --port 0 --behind-tls-front --fault password-check=0.1 < /dev/null > "$work/ready" &
sim_pid=$!
read -r _ _ base < "$work/ready"

run() {
  local label="$1" binary="$2" dataset="$3"; shift 3
  local state="$work/state-$RANDOM" dest="$work/data-$RANDOM" start end
  start=$(date +%s.%N)
  env -i PATH="$PATH" HOME="$work" XDG_STATE_HOME="$state" NETRC="$work/none" \
    PHYSIONET_USERNAME=credentialed PHYSIONET_PASSWORD=Cred-Pass-1 \
    "$binary" fetch "$dataset" --base-url "$base" --dest "$dest" --quiet "$@" >/dev/null
  end=$(date +%s.%N)
  printf '%-44s %6.2f s\n' "$label" "$(echo "$end - $start" | bc -l)"
}

echo "265 files of mimiciii 1.4 (credentialed) and bench-open 1.0 (open) from the simulator at $base, 0.1 s per password check ($configuration physio)"
run "physio, session login, credentialed" "$physio" mimiciii@1.4
run "physio, --auth wget-basic, credentialed" "$physio" mimiciii@1.4 --auth wget-basic
run "physio, --auth wget-basic, open" "$physio" bench-open@1.0 --auth wget-basic
if [ -n "$baseline" ]; then
  run "baseline, --auth wget-basic, credentialed" "$baseline" mimiciii@1.4 --auth wget-basic
  run "baseline, --auth wget-basic, open" "$baseline" bench-open@1.0 --auth wget-basic
fi
