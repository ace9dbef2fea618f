# Shared by the shell tests in Tests/contrib (sourced, not run): PASS/FAIL lines and the closing count.
# shellcheck shell=bash
passed=0
failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
# check <description> <command...>: PASS when the command succeeds.
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# finish: the closing line, and exit 1 when anything failed.
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
# usage_or_die <usage text> "$@": --help prints the usage and exits 0; any other option is exit 2.
usage_or_die() {
  local usage="$1"; shift
  case "${1:-}" in
    -h|--help) printf '%s\n' "$usage"; exit 0 ;;
    -*) echo "$(basename "$0"): unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
}
