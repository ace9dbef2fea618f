import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// Every fault kind of `FaultPlan`, scoped by path glob and "first N" (deterministic).
@Suite("fault injection", .timeLimit(.minutes(1)))
struct FaultInjectionTests {
    let path = "/files/mimiciii-demo/1.4/D_CPT.csv"

    @Test("drop after N bytes, once")
    func drop() async throws {
        let plan = FaultPlan(rules: [FaultRule(.dropAfterBytes(1000), path: path, firstRequests: 1)])
        try await withSimulator(faults: plan) { server throws in
            let client = SimClient(server)
            await #expect(throws: TransportError.self) { try await client.get(path) }
            #expect(server.counters.bodyBytesSent(path: path) == 1000)
            #expect(try await client.get(path).body.count == 12717)
        }
    }

    @Test("stall mid-body, then complete")
    func stall() async throws {
        let plan = FaultPlan(rules: [FaultRule(.stall(afterBytes: 100, seconds: 1.2), path: path)])
        try await withSimulator(faults: plan) { server throws in
            let start = ContinuousClock.now
            let response = try await SimClient(server).get(path)
            #expect(ContinuousClock.now - start >= .seconds(1.1))
            #expect(response.body == (try fixtureFile("mimiciii-demo/1.4/D_CPT.csv")))
        }
    }

    @Test("injected 5xx statuses", arguments: [500, 502, 503])
    func status(code: Int) async throws {
        let plan = FaultPlan(rules: [FaultRule(.status(code), path: "/files/*", firstRequests: 1)])
        try await withSimulator(faults: plan) { server throws in
            let client = SimClient(server)
            #expect(try await client.get(path).status == code)
            #expect(try await client.get(path).status == 200)
            #expect(try await client.get("/content/mimiciii-demo/1.4/").status == 200)
        }
    }

    @Test("429 with Retry-After")
    func tooManyRequests() async throws {
        let plan = FaultPlan(rules: [FaultRule(.tooManyRequests(retryAfterSeconds: 7), path: "/api/*")])
        try await withSimulator(faults: plan) { server throws in
            let response = try await SimClient(server).get("/api/v1/project/published/")
            #expect(response.status == 429)
            #expect(response.headers["Retry-After"] == "7")
        }
    }

    @Test("rate limit slows the body")
    func rateLimit() async throws {
        let plan = FaultPlan(rules: [FaultRule(.rateLimit(bytesPerSecond: 16000), path: path)])
        try await withSimulator(faults: plan) { server throws in
            let start = ContinuousClock.now
            #expect(try await SimClient(server).get(path).body.count == 12717)
            #expect(ContinuousClock.now - start >= .seconds(0.7))
        }
    }

    @Test("first-byte latency")
    func latency() async throws {
        let plan = FaultPlan(rules: [FaultRule(.firstByteLatency(seconds: 0.8), path: "/ping/")])
        try await withSimulator(faults: plan) { server throws in
            let start = ContinuousClock.now
            #expect(try await SimClient(server).get("/ping/").status == 200)
            #expect(ContinuousClock.now - start >= .seconds(0.75))
        }
    }

    @Test("flipped byte at offset K (file offset, also inside a range)")
    func flip() async throws {
        let plan = FaultPlan(rules: [FaultRule(.flipByte(offset: 150), path: path)])
        try await withSimulator(faults: plan) { server throws in
            let original = try fixtureFile("mimiciii-demo/1.4/D_CPT.csv")
            let client = SimClient(server)
            let full = try await client.get(path).body
            #expect(full[150] == original[150] ^ 0xFF)
            #expect(Array(full[0..<150]) == Array(original[0..<150]))
            let ranged = try await client.get(path, headers: ["Range": "bytes=100-199"]).body
            #expect(ranged[50] == original[150] ^ 0xFF)
        }
    }

    @Test("wrong Content-Range start")
    func wrongRangeStart() async throws {
        let plan = FaultPlan(rules: [FaultRule(.wrongRangeStart(0), path: path)])
        try await withSimulator(faults: plan) { server throws in
            let response = try await SimClient(server).get(path, headers: ["Range": "bytes=5000-"])
            #expect(response.status == 206)
            #expect(response.headers["Content-Range"] == "bytes 0-12716/12717")
            #expect(response.body.count == 12717)
        }
    }

    @Test("file replaced after the first request: new content, same size, new ETag")
    func replaced() async throws {
        let plan = FaultPlan(rules: [FaultRule(.replaceFile(afterRequests: 1), path: path)])
        try await withSimulator(faults: plan) { server throws in
            let client = SimClient(server)
            let first = try await client.get(path)
            let second = try await client.get(path)
            #expect(first.body.count == second.body.count)
            #expect(first.body != second.body)
            #expect(first.headers["ETag"] != second.headers["ETag"])
            let resumed = try await client.get(path, headers: ["Range": "bytes=100-", "If-Range": first.headers["ETag"]!])
            #expect(resumed.status == 200)
        }
    }

    @Test("HTML login page in place of a data file")
    func loginPage() async throws {
        let plan = FaultPlan(rules: [FaultRule(.loginPageInsteadOfFile, path: "/files/*.csv")])
        try await withSimulator(faults: plan) { server throws in
            let response = try await SimClient(server).get(path)
            #expect(response.status == 200)
            #expect(response.head.mediaType == "text/html")
            #expect(response.text.contains(#"name="csrfmiddlewaretoken""#))
        }
    }

    @Test("session expiry: an old login behaves as anonymous")
    func sessionExpiry() async throws {
        let plan = FaultPlan(sessionLifetimeSeconds: 1)
        try await withSimulator(faults: plan, behindTLSFront: true) { server throws in
            let client = SimClient(server)
            try await client.logIn("credentialed", "Cred-Pass-1")
            #expect(try await client.get("/files/mimiciii/1.4/LICENSE.txt").status == 200)
            server.advanceClock(by: 1.2)
            #expect(try await client.get("/settings/credentialing/").status == 302)
            #expect(try await client.get("/files/mimiciii/1.4/LICENSE.txt").status == 401)
        }
    }

    @Test("connection cap (close): excess connections are dropped")
    func connectionCapClose() async throws {
        let plan = FaultPlan(
            rules: [FaultRule(.rateLimit(bytesPerSecond: 20000), path: path)],
            connectionCap: .init(maximumPerClient: 1, excess: .close))
        try await withSimulator(faults: plan) { server throws in
            let client = SimClient(server)
            async let slow = client.get(path)
            // The slow download holds the one slot once its connection is open.
            while server.counters.peakConnections < 1 { await Task.yield() }
            await #expect(throws: TransportError.self) { try await SimClient(server).get("/ping/") }
            #expect(try await slow.body.count == 12717)
            #expect(server.counters.connectionsRefused >= 1)
        }
    }

    @Test("connection cap (stall): excess connections wait for a slot")
    func connectionCapStall() async throws {
        let plan = FaultPlan(
            rules: [FaultRule(.rateLimit(bytesPerSecond: 40000), path: path)],
            connectionCap: .init(maximumPerClient: 1, excess: .stall))
        try await withSimulator(faults: plan) { server throws in
            async let first = SimClient(server).get(path)
            async let second = SimClient(server).get(path)
            async let third = SimClient(server).get(path)
            let bodies = try await [first.body.count, second.body.count, third.body.count]
            #expect(bodies == [12717, 12717, 12717])
            #expect(server.counters.peakConnections == 1)
        }
    }

    @Test("setFaults replaces the plan mid-test; probability draws are seeded")
    func setFaultsAndSeed() async throws {
        try await withSimulator { server throws in
            let client = SimClient(server)
            #expect(try await client.get("/ping/").status == 200)
            server.setFaults(FaultPlan(rules: [FaultRule(.status(503), path: "/ping/")]))
            #expect(try await client.get("/ping/").status == 503)
            func outcomes() async throws -> [Int] {
                server.setFaults(FaultPlan(seed: 42, rules: [FaultRule(.status(502), path: "/ping/", probability: 0.5)]))
                var statuses: [Int] = []
                for _ in 0..<12 { statuses.append(try await client.get("/ping/").status) }
                return statuses
            }
            let first = try await outcomes()
            #expect(try await outcomes() == first)
            #expect(first.contains(200) && first.contains(502))
        }
    }
}
