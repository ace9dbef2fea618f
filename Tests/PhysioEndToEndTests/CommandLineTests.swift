import Foundation
import PhysioKit
import Testing

/// What the command line promises outside any transfer: the version line, and completion scripts that
/// stay in step with the commands.
@Suite("command line", .serialized, .timeLimit(.minutes(1)))
struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("--version names physio's version and the libcurl and TLS library it runs on")
    func version() async throws {
        let result = try await PhysioProcess.run(["--version"], environment: [:])
        #expect(result.exitCode == 0)
        #expect(result.stdout.hasPrefix("physio \(PhysioVersion.current) (libcurl "))
        #expect(result.stdout.contains("OpenSSL/"))
    }

    @Test("the committed completion scripts are what the commands generate now", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) async throws {
        let result = try await PhysioProcess.run(["--generate-completion-script", shell], environment: [:])
        #expect(result.exitCode == 0)
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("completions/physio.\(shell)"), encoding: .utf8)
        #expect(result.stdout == committed, "regenerate with: .build/debug/physio --generate-completion-script \(shell) > completions/physio.\(shell)")
    }

    @Test("the committed man page is what generate-manual makes from the commands now (its date aside)")
    func manualPage() async throws {
        let generator = PhysioProcess.executable.deletingLastPathComponent().appendingPathComponent("generate-manual")
        try #require(FileManager.default.isExecutableFile(atPath: generator.path), "build it first: swift build --product generate-manual (scripts/test does)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("physio-man-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = generator
        process.arguments = [PhysioProcess.executable.path, "--output-directory", output.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        await BlockingIO.run { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
        func body(_ url: URL) throws -> [Substring] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(".Dd ") }
        }
        #expect(try body(output.appendingPathComponent("physio.1")) == body(Self.repository.appendingPathComponent("man/physio.1")),
            "regenerate with scripts/generate-docs")
    }
}
