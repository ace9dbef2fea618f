import Foundation
import PhysioKit
import Testing

/// `--progress-fd`: the JSON lines programs draw their own progress from (the Python package's notebook bar).
@Suite("fetch --progress-fd", .timeLimit(.minutes(3)))
struct ProgressStreamTests {
    struct Line: Decodable {
        var type: String
        var filesDone: Int
        var filesTotal: Int
        var bytesDone: Int64
        var bytesTotal: Int64?
        var totalIsEstimate: Bool
        var bytesPerSecond: Double
        var secondsLeft: Double?
    }

    @Test("JSON lines on the descriptor agree with the summary; --quiet keeps stderr free of progress")
    func agreesWithSummary() async throws {
        try await withWorkspace { workspace in
            let streamPath = workspace.directory.appendingPathComponent("progress.jsonl").path
            // The shell opens descriptor 3 for physio, as a parent program (Python's pass_fds) would.
            let result = try await PhysioProcess.run(
                ["-c", "exec \"$0\" \"$@\" 3>\"$PROGRESS\"", PhysioProcess.executable.path,
                 "fetch", "mimic-iv-demo@2.2", "--json", "--quiet", "--progress-fd", "3"],
                environment: workspace.environment.merging(["PROGRESS": streamPath]) { $1 }, executable: "/bin/sh")
            #expect(result.exitCode == 8, "stderr: \(result.stderr)")
            let summary = try decodeSummary(result)
            let text = try String(contentsOfFile: streamPath, encoding: .utf8)
            let lines = try text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
            let last = try #require(lines.last, "no progress line written")
            #expect(lines.allSatisfy { $0.type == "progress" })
            #expect(zip(lines, lines.dropFirst()).allSatisfy { $0.bytesDone <= $1.bytesDone && $0.filesDone <= $1.filesDone })
            #expect(last.bytesDone == summary.bytesTransferred)
            #expect(last.filesDone == summary.counts.downloaded)
            #expect(last.filesTotal == summary.counts.downloaded + summary.counts.failed)
            // The simulator's listings give no sizes for some files, so the total may be the project page's estimate.
            #expect((last.bytesTotal ?? 0) > 0)
            #expect(!result.stderr.contains("files "), "progress reached stderr despite --quiet: \(result.stderr)")
        }
    }

    @Test("a descriptor that is not open is a usage error naming the fix")
    func closedDescriptor() async throws {
        try await withWorkspace { workspace in
            let result = try await workspace.physio("fetch", "mimiciii-demo", "--progress-fd", "9")
            #expect(result.exitCode == 2)
            #expect(result.stderr.contains("--progress-fd 9 is not an open file descriptor"), "stderr: \(result.stderr)")
        }
    }
}
