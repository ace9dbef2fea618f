import FoundationEssentials

/// One of N independent processes that together cover a dataset's file list exactly once (`--shard I/N`),
/// for running physio on many nodes of a cluster over one shared filesystem.
///
/// The split depends only on the list itself, never on local state, so every node computes the same one:
/// files in path order are cut into N contiguous runs of about equal weight, a file weighing its size when
/// the list gives sizes plus a fixed cost per file (creating a file costs about as much as 64 KiB of data).
/// The cost per file, not only bytes: 100,000 small files are a day of work at PhysioNet's pace even when
/// they add up to less than one large file.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// From 0 to `count - 1`.
    public let index: Int
    public let count: Int

    static let costPerFile: Int64 = 64 << 10

    public init(index: Int, count: Int) throws(PhysioError) {
        guard count >= 1, count <= 100_000 else {
            throw .usage("A shard count must be between 1 and 100000; got \(count).")
        }
        guard index >= 0, index < count else {
            throw .usage("Shard \(index) of \(count) does not exist: shards are numbered 0 to \(count - 1).")
        }
        self.index = index
        self.count = count
    }

    /// `I/N`, as `--shard` takes it.
    public init(parsing text: String) throws(PhysioError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .usage("--shard takes I/N (for example 0/8) or auto; got '\(text)'.")
        }
        try self.init(index: index, count: count)
    }

    /// The shard a scheduler gave this process: a Slurm job array (`SLURM_ARRAY_TASK_ID` counted from
    /// `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_COUNT` tasks) or a Kubernetes Indexed Job
    /// (`JOB_COMPLETION_INDEX`, with the count from `--shards`, which Kubernetes does not export).
    public static func fromScheduler(_ environment: [String: String], count: Int?) throws(PhysioError) -> Shard {
        if let task = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) {
            guard let tasks = environment["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }) else {
                throw .usage("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; pass --shard I/N instead of auto.")
            }
            let first = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
            // A resubmitted subset (`--array=3,5`) or a stepped array numbers its tasks otherwise than 0..N-1
            // would: the split would differ from the original run's and leave files uncovered.
            let last = environment["SLURM_ARRAY_TASK_MAX"].flatMap { Int($0) } ?? (first + tasks - 1)
            let step = environment["SLURM_ARRAY_TASK_STEP"].flatMap { Int($0) } ?? 1
            guard last - first + 1 == tasks, step == 1 else {
                throw .usage(
                    "This Slurm array (tasks \(first)-\(last), \(tasks) of them, step \(step)) is not a contiguous range, so --shard auto cannot number the shards; pass --shard I/N with the original array's numbering, or resubmit the whole array.")
            }
            if let count, count != tasks {
                throw .usage("--shards \(count) disagrees with the Slurm array of \(tasks) tasks; drop --shards.")
            }
            return try Shard(index: task - first, count: tasks)
        }
        if let completion = environment["JOB_COMPLETION_INDEX"].flatMap({ Int($0) }) {
            guard let count else {
                throw .usage("JOB_COMPLETION_INDEX is set; pass --shards N with the Job's completions count.")
            }
            return try Shard(index: completion, count: count)
        }
        throw .usage("--shard auto needs a Slurm job array (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX); neither is set.")
    }

    public var description: String { "\(index)/\(count)" }

    /// What shards must share to split one list the same way: the count, and the selection the list is
    /// narrowed to before it is cut ("4 shards", "4 shards of --include 'hosp/*'"). Shards of one group
    /// share the dataset's lock (`RunLock(sharedAt:group:)`); another group is refused.
    public func group(selection filter: PathFilter) -> String {
        let selection = filter.includes.map { " --include '\($0)'" } + filter.excludes.map { " --exclude '\($0)'" }
        return "\(count) shards" + (selection.isEmpty ? "" : " of" + selection.joined())
    }

    /// This shard's part of `files`, in path order.
    func select(_ files: FileList) -> FileList {
        let ordered = files.sorted()
        let ranges = Self.boundaries(weights: ordered.indices.map { Self.costPerFile + max(0, ordered.size($0) ?? 0) }, count: count)
        return ordered.selecting(ranges[index])
    }

    /// Cuts a sequence of weights into `count` contiguous ranges, greedily: a shard closes once it holds
    /// its share of what is left (the remaining weight over the remaining shards), so a file heavier than a
    /// share takes a shard to itself and the rest spread evenly over the others.
    static func boundaries(weights: some Collection<Int64>, count: Int) -> [Range<Int>] {
        var starts = [0]
        var remaining = weights.reduce(0, +)
        var held: Int64 = 0
        for (offset, weight) in weights.enumerated() where starts.count < count {
            held += weight
            let left = Int64(count - starts.count + 1)
            // held ≥ ⌈remaining / left⌉, in integers: the same answer on every node.
            if held >= (remaining + left - 1) / left {
                starts.append(offset + 1)
                remaining -= held
                held = 0
            }
        }
        while starts.count <= count { starts.append(weights.count) }
        return (0..<count).map { starts[$0]..<starts[$0 + 1] }
    }

    /// Where this shard records what it did: a file only it writes, safe on NFS or Lustre, joined into the
    /// main inventory by `physio inventory merge`.
    public func partFile(root: URL, slug: String, version: String) -> URL {
        Self.partsFolder(root: root, slug: slug, version: version).appendingPathComponent("\(index)-of-\(count).sqlite")
    }

    private static func partsFolder(root: URL, slug: String, version: String) -> URL {
        root.standardizedFileURL.appendingPathComponent(".physio/shards/\(slug)/\(version)", isDirectory: true)
    }

    /// Every part of a dataset recorded under `root`, whatever its shard count.
    public static func parts(root: URL, slug: String, version: String) -> [URL] {
        let folder = partsFolder(root: root, slug: slug, version: version)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".sqlite") }.sorted().map { folder.appendingPathComponent($0) }
    }
}
