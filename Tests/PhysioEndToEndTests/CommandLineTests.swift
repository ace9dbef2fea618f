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
}
