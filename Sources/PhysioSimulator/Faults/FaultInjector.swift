import Synchronization

/// Matches requests against the current `FaultPlan`, counting per rule so "first N" and "after N" are exact.
final class FaultInjector: Sendable {
    private struct State {
        var plan: FaultPlan
        var matchCounts: [Int]
        var random: SeededRandom
        /// Faults applied since the plan was set.
        var applied = 0
    }

    private let state: Mutex<State>

    init(plan: FaultPlan) {
        state = Mutex(State(plan: plan, matchCounts: Array(repeating: 0, count: plan.rules.count), random: SeededRandom(seed: plan.seed)))
    }

    var plan: FaultPlan { state.withLock { $0.plan } }

    /// How many faults were applied to requests since the plan was set.
    var applied: Int { state.withLock { $0.applied } }

    /// Replaces the plan and forgets every count.
    func replace(with plan: FaultPlan) {
        state.withLock {
            $0 = State(plan: plan, matchCounts: Array(repeating: 0, count: plan.rules.count), random: SeededRandom(seed: plan.seed))
        }
    }

    /// The faults for one request to `path`; advances the counts of the rules it matches.
    func faults(forPath path: String) -> ActiveFaults {
        state.withLock { state in
            var active = ActiveFaults()
            for (index, rule) in state.plan.rules.enumerated() where PathGlob.matches(rule.pathGlob, path) {
                state.matchCounts[index] += 1
                let ordinal = state.matchCounts[index]
                if case .replaceFile(let after) = rule.fault {
                    if ordinal > after {
                        active.apply(rule.fault)
                        state.applied += 1
                    }
                    continue
                }
                if let limit = rule.firstRequests, ordinal > limit { continue }
                if let probability = rule.probability, state.random.nextUnit() >= probability { continue }
                active.apply(rule.fault)
                state.applied += 1
            }
            return active
        }
    }
}

/// SplitMix64: tiny, seedable, good enough to pick which requests fail.
struct SeededRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return GeneratedContent.mix(state)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}

/// Shell-like globbing over paths, where `*` also crosses `/` (so `/files/x/*` covers subfolders).
enum PathGlob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0
        var star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
