import Foundation
import Testing

@testable import PhysioKit

@Suite("CurlMultiLoop as an executor")
struct CurlMultiLoopExecutorTests {
    @Test("tasks that prefer the transfer loop all run on its one thread, before and after suspending")
    func oneThread() async {
        let threads = await withTaskGroup(of: [UInt].self) { group in
            for _ in 0..<4 {
                group.addTask(executorPreference: CurlMultiLoop.shared) {
                    var seen = [UInt(pthread_self())]
                    for _ in 0..<3 {
                        try? await Task.sleep(for: .milliseconds(1))
                        seen.append(UInt(pthread_self()))
                    }
                    return seen
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(threads.count == 16)
        #expect(Set(threads).count == 1)
        #expect(threads.first != UInt(pthread_self()))
    }

    @Test("a task on the loop resumed from another thread runs at once, not at the loop's next 250 ms poll timeout")
    func wokenPromptly() async {
        let latencies = await Task(executorPreference: CurlMultiLoop.shared) {
            var latencies: [Duration] = []
            for _ in 0..<40 {
                let resumed = await withCheckedContinuation { (continuation: CheckedContinuation<ContinuousClock.Instant, Never>) in
                    // A thread of its own, later than the loop takes to fall asleep in curl_multi_poll.
                    DedicatedThread.start {
                        usleep(5_000)
                        continuation.resume(returning: .now)
                    }
                }
                latencies.append(.now - resumed)
            }
            return latencies.sorted()
        }.value
        // A lost wake-up waits out the poll: about 245 ms. The median, so that a loaded machine's odd late
        // turn does not decide.
        #expect(latencies[latencies.count / 2] < .milliseconds(100), "\(latencies)")
    }
}
