import PhysioKit
import PhysioSimulator
import Testing

/// `SimulatorCounters`: what tests can observe.
@Suite("counters")
struct CountersTests {
    @Test("requests per path and status, body bytes per path, headers as seen, reset")
    func counting() async throws {
        try await withSimulator(behindTLSFront: true) { server throws in
            let client = SimClient(server)
            let path = "/files/mimiciii-demo/1.4/D_CPT.csv"
            _ = try await client.get(path)
            _ = try await client.get(path, headers: ["Range": "bytes=0-99"])
            _ = try await client.get("/files/mimiciii/1.4/LICENSE.txt", headers: ["Authorization": basic("credentialed", "Cred-Pass-1")])
            #expect(server.counters.requestCount(path: path) == 2)
            #expect(server.counters.requestCount(status: 200) == 2)
            #expect(server.counters.requestCount(status: 206) == 1)
            #expect(server.counters.bodyBytesSent(path: path) == 12717 + 100)
            let recorded = server.counters.requests(path: "/files/mimiciii/1.4/LICENSE.txt")
            #expect(recorded.count == 1)
            #expect(recorded.first?.method == "GET")
            #expect(recorded.first?.status == 200)
            #expect(recorded.first?.header("Authorization")?.hasPrefix("Basic ") == true)
            #expect(recorded.first?.header("User-Agent") == "Wget/1.21.3")
            #expect(server.counters.requests(path: path).allSatisfy { $0.header("Authorization") == nil && $0.header("Cookie") == nil })
            #expect(server.counters.peakConnections >= 1)

            server.counters.reset()
            #expect(server.counters.requests.isEmpty)
            #expect(server.counters.requestsByPath.isEmpty)
            #expect(server.counters.bodyBytesByPath.isEmpty)
        }
    }
}
