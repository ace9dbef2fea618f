import ArgumentParser
import FoundationEssentials
import PhysioKit

/// `--shard I/N` or `--shard auto` (with `--shards N` for Kubernetes), for `fetch` and `verify`.
struct ShardOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Cover only part I of N of the file list (I from 0), or 'auto' to take it from a Slurm job array or a Kubernetes Indexed Job.",
        valueName: "I/N|auto"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("With --shard auto under Kubernetes: the Job's completions count.", valueName: "N"))
    var shards: Int?

    /// These options as typed, for a command physio prints.
    var commandWords: [String] {
        (shard.map { ["--shard", $0] } ?? []) + (shards.map { ["--shards", "\($0)"] } ?? [])
    }

    func resolved() throws(PhysioError) -> Shard? {
        guard let shard else {
            if shards != nil { throw .usage("--shards only goes with --shard auto.") }
            return nil
        }
        if shard == "auto" { return try Shard.fromScheduler(invocation.environment, count: shards) }
        if shards != nil { throw .usage("--shards only goes with --shard auto; --shard \(shard) names its count already.") }
        return try Shard(parsing: shard)
    }
}
