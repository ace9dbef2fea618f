import PhysioSimulator
import Testing

/// The CLI's `--fault SPEC` syntax.
@Suite("fault spec syntax")
struct FaultSpecParserTests {
    @Test("rules with glob, first-N and probability")
    func rules() throws {
        let plan = try FaultSpecParser.plan(
            from: ["drop-after=1000@/files/x/1.0/big.bin#1", "stall=500:2.5", "status=503@/files/*%0.25", "429=30@/api/*",
                   "rate=50000", "latency=0.5", "flip=7", "range-start=0", "replace-after=2", "login-page@/files/*.csv"],
            seed: 9)
        #expect(plan.seed == 9)
        #expect(plan.rules[0] == FaultRule(.dropAfterBytes(1000), path: "/files/x/1.0/big.bin", firstRequests: 1))
        #expect(plan.rules[1].fault == .stall(afterBytes: 500, seconds: 2.5))
        #expect(plan.rules[2] == FaultRule(.status(503), path: "/files/*", probability: 0.25))
        #expect(plan.rules[3].fault == .tooManyRequests(retryAfterSeconds: 30))
        #expect(plan.rules.map(\.fault).suffix(6) == [
            .rateLimit(bytesPerSecond: 50000), .firstByteLatency(seconds: 0.5), .flipByte(offset: 7), .wrongRangeStart(0),
            .replaceFile(afterRequests: 2), .loginPageInsteadOfFile,
        ])
    }

    @Test("site-wide settings")
    func siteWide() throws {
        let plan = try FaultSpecParser.plan(from: ["session-expiry=60", "max-conns=4:stall"])
        #expect(plan.sessionLifetimeSeconds == 60)
        #expect(plan.connectionCap == .init(maximumPerClient: 4, excess: .stall))
        #expect(plan.rules.isEmpty)
    }

    @Test("invalid specs are rejected", arguments: ["explode", "drop-after=x", "status=200", "max-conns=2:maybe", "stall=1", "flip=1#0"])
    func invalid(spec: String) {
        #expect(throws: FaultSpecParser.InvalidSpec.self) { try FaultSpecParser.plan(from: [spec]) }
    }

    @Test("plans round-trip through JSON")
    func codable() throws {
        let plan = try FaultSpecParser.plan(from: ["drop-after=10@/a/*#2", "max-conns=1"], seed: 3)
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(FaultPlan.self, from: data) == plan)
    }
}

import Foundation
