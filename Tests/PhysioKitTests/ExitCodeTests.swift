import Testing

@testable import PhysioKit

@Suite("Exit codes: one severity order for fetch, sync and status")
struct ExitCodeTests {
    @Test("the most severe code wins, in the documented order")
    func mostSevere() {
        #expect(PhysioExitCode.mostSevere([]) == .success)
        #expect(PhysioExitCode.mostSevere([.success, .success]) == .success)
        #expect(PhysioExitCode.mostSevere([.partial, .network, .success]) == .network)
        #expect(PhysioExitCode.mostSevere([.partial, .integrity, .notLoggedIn]) == .integrity)
        #expect(PhysioExitCode.mostSevere([.locked, .partial]) == .locked)
        #expect(PhysioExitCode.mostSevere([.integrity, .localFilesystem]) == .localFilesystem)
        #expect(PhysioExitCode.mostSevere([.accessDenied, .notLoggedIn]) == .notLoggedIn)
        #expect(PhysioExitCode.mostSevere([.internalError, .terminated]) == .terminated)
        // Every code but success has a place in the order, so none falls through to an arbitrary pick.
        let ranked = Set(PhysioExitCode.severity)
        #expect(ranked.count == PhysioExitCode.severity.count)
        for code in [PhysioExitCode.internalError, .usage, .notFound, .network, .notLoggedIn, .accessDenied, .integrity,
                     .partial, .localFilesystem, .locked, .interrupted, .terminated] {
            #expect(ranked.contains(code), "\(code) has no place in the severity order")
        }
    }

    @Test("a fetch's failed files become one code through the same order")
    func fetchFailures() {
        let digest = SHA256Digest(bytes: [UInt8](repeating: 0, count: 32))
        #expect(FetchEngine.exitCode(for: [], succeeded: 3) == .success)
        // Only network failures and nothing arrived: the network is down.
        #expect(FetchEngine.exitCode(for: [.network("refused"), .serverError(status: 503)], succeeded: 0) == .network)
        // Some files arrived: the rest is partial, which a rerun completes.
        #expect(FetchEngine.exitCode(for: [.network("refused")], succeeded: 1) == .partial)
        #expect(FetchEngine.exitCode(for: [.missingOnServer(status: 404), .network("x")], succeeded: 0) == .partial)
        #expect(FetchEngine.exitCode(for: [.missingOnServer(status: 404), .integrity(expected: digest, actual: digest)], succeeded: 2) == .integrity)
        #expect(FetchEngine.exitCode(for: [.integrity(expected: digest, actual: digest), .local("disk full")], succeeded: 2) == .localFilesystem)
    }

    @Test("error kinds keep their JSON names")
    func kindRawValues() {
        #expect(PhysioError.Kind.wrongCredentials.rawValue == "wrongCredentials")
        #expect(PhysioError.interrupted(signal: 2, slug: "a", version: nil, verified: 0, partial: 0).kind.rawValue == "interrupted")
        #expect(Set(PhysioError.Kind.allCases.map(\.rawValue)).count == PhysioError.Kind.allCases.count)
    }
}
