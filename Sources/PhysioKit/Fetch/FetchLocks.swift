import FoundationEssentials

extension FetchEngine {
    /// The dataset locks a run holds while it writes into `location`: a shard shares the dataset's lock with
    /// the shards of its group (the count and the `selection` the list is cut after) and holds its own part's
    /// alone; any other run holds the dataset's lock alone. `waitSeconds` waits that long for a holder to
    /// finish (`waiting` hears whose, once) before throwing `.locked`.
    public static func takeLocks(
        location: DatasetLocation, shard: Shard?, selection: PathFilter, waitSeconds: Double = 0,
        waiting: (String) -> Void = { _ in }
    ) throws(PhysioError) -> [RunLock] {
        guard let shard else {
            return [try RunLock(at: location.lockFile, waitSeconds: waitSeconds, waiting: waiting)]
        }
        return [
            try RunLock(sharedAt: location.lockFile, group: shard.group(selection: selection)),
            try RunLock(at: location.lockFile(shard: shard), waitSeconds: waitSeconds, waiting: waiting),
        ]
    }
}
