import Foundation
import PhysioKit
import Testing

/// What the command line promises outside any transfer: the version line, and completion scripts that
/// stay in step with the commands.
@Suite("command line", .serialized, .timeLimit(.minutes(1)))
struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("--version names physio's version, how it was built, and the libcurl and TLS library it runs on")
    func version() async throws {
        let result = try await PhysioProcess.run(["--version"], environment: [:])
        #expect(result.exitCode == 0)
        // The test build is a plain `swift build`; scripts/release's commit and date are checked by scripts/test-release.
        #expect(result.stdout.hasPrefix("physio \(PhysioVersion.current) (built from source without scripts/release; libcurl "))
        #expect(result.stdout.contains("OpenSSL/"))
    }

    @Test("the committed completion scripts are what the commands generate now", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) async throws {
        let result = try await PhysioProcess.run(["--generate-completion-script", shell], environment: [:])
        #expect(result.exitCode == 0)
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("completions/physio.\(shell)"), encoding: .utf8)
        #expect(result.stdout == committed, "regenerate with: .build/debug/physio --generate-completion-script \(shell) > completions/physio.\(shell)")
    }

    @Test("scripts/install puts the binary, man page and completions under a prefix (and DESTDIR); a bad option is exit 2")
    func install() async throws {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("physio-install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: staging) }
        func run(_ arguments: [String]) async throws -> Int32 {
            let process = Process()
            process.executableURL = Self.repository.appendingPathComponent("scripts/install")
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["DESTDIR": staging.path]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            await BlockingIO.run { process.waitUntilExit() }
            return process.terminationStatus
        }
        #expect(try await run(["--binary", PhysioProcess.executable.path, "--prefix", "/opt/physio"]) == 0)
        let root = staging.appendingPathComponent("opt/physio")
        let installed = root.appendingPathComponent("bin/physio")
        #expect(FileManager.default.isExecutableFile(atPath: installed.path))
        #expect(FileManager.default.contentsEqual(atPath: installed.path, andPath: PhysioProcess.executable.path))
        for (path, source) in [
            ("share/man/man1/physio.1", "man/physio.1"), ("share/bash-completion/completions/physio", "completions/physio.bash"),
            ("share/zsh/site-functions/_physio", "completions/physio.zsh"),
            ("share/fish/vendor_completions.d/physio.fish", "completions/physio.fish"),
        ] {
            #expect(FileManager.default.contentsEqual(
                atPath: root.appendingPathComponent(path).path, andPath: Self.repository.appendingPathComponent(source).path), "\(path)")
        }
        #expect(try await run(["--frobnicate"]) == 2)
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
