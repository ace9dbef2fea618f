# Sourced by the benchmark scripts: quiet_disk waits (up to 30 s) until the disk holding $work has
# completed no reads, writes or discards for three seconds. This VM's disk is mounted with `discard`, and
# deleting many files queues TRIMs that slow file creation for minutes; timing then would favour
# whichever tool ran first.
device=$(df --output=source "$work" | tail -1 | sed 's|/dev/||')
disk_activity() { awk -v d="$device" '$3 == d {print $8 + $15}' /proc/diskstats; }
quiet_disk() {
  sync
  local last now still=0
  last=$(disk_activity)
  for _ in $(seq 30); do
    sleep 1
    now=$(disk_activity)
    if [ "$now" = "$last" ]; then still=$((still + 1)); else still=0; fi
    last=$now
    [ "$still" -ge 3 ] && return
  done
}
