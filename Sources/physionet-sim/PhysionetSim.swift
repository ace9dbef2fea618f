import ArgumentParser
import Foundation
import PhysioSimulator

/// `physionet-sim`: the PhysioNet simulator as a standalone server, for manual checks and scripted tests.
@main
struct PhysionetSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "physionet-sim",
        abstract: "Serve a simulated physionet.org (docs/protocol.md) from a fixture, on loopback by default.",
        discussion: """
            Prints "listening on http://HOST:PORT" on stdout once ready, then runs until killed \
            (or until stdin reaches EOF with --exit-on-stdin-eof).

            Fault SPEC syntax: \(FaultSpecParser.syntaxHelp)
            """
    )

    @Option(help: "Fixture JSON file (default: the package's Fixtures/physionet/fixture.json).")
    var fixture: String?

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: "Address to bind. Only loopback unless you say otherwise.")
    var host: String = "127.0.0.1"

    @Option(help: "production (nginx semantics) or development (Django runserver semantics).")
    var mode: SimulatorMode = .production

    @Option(name: .customLong("fault"), help: "A fault to inject (repeatable). See the SPEC syntax above.")
    var faults: [String] = []

    @Option(help: "Seed for probabilistic faults.")
    var seed: UInt64 = 0

    @Flag(help: "Serve requests as arriving through a TLS-terminating front (HTTP Basic is then honoured, as over https).")
    var behindTLSFront = false

    @Flag(help: "Also serve the newer /api/v1/projects/… family (2025); the 2024 server code answers it with 404.")
    var newerAPI = false

    @Flag(help: "Exit when stdin reaches end of file (so a parent process can always stop the server).")
    var exitOnStdinEof = false

    func run() async throws {
        let fixtureURL = fixture.map { URL(fileURLWithPath: $0) } ?? SimulatorFixture.defaultFixtureURL
        let loaded: SimulatorFixture
        do {
            loaded = try SimulatorFixture.load(from: fixtureURL)
        } catch {
            throw ValidationError("Could not read the fixture \(fixtureURL.path): \(error). Pass --fixture with a valid file.")
        }
        let plan: FaultPlan
        do {
            plan = try FaultSpecParser.plan(from: faults, seed: seed)
        } catch {
            throw ValidationError("\(error)")
        }
        let server = try await SimulatorServer.start(fixture: loaded, mode: mode, faults: plan, host: host, port: port, behindTLSFront: behindTLSFront,
            newerAPI: newerAPI)
        // FileHandle writes unbuffered, so a parent reading the pipe sees the line at once.
        FileHandle.standardOutput.write(Data("listening on \(server.baseURL.absoluteString)\n".utf8))
        if exitOnStdinEof {
            // A blocking read belongs on its own thread, never on the cooperative pool.
            Thread.detachNewThread {
                while FileHandle.standardInput.availableData.count > 0 {}
                Foundation.exit(0)
            }
        }
        while true {
            try await Task.sleep(for: .seconds(3600))
        }
    }
}

extension SimulatorMode: ExpressibleByArgument {}
