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
        let resumes = 40
        let clock = ContinuousClock()
        let elapsed = await Task(executorPreference: CurlMultiLoop.shared) {
            await clock.measure {
                for _ in 0..<resumes {
                    await withCheckedContinuation { continuation in
                        // Later than the loop takes to fall asleep in curl_multi_poll with nothing to do.
                        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(5)) { continuation.resume() }
                    }
                }
            }
        }.value
        // 40 times 5 ms; a lost wake-up costs the poll's whole 250 ms instead, and 40 of them 10 s.
        #expect(elapsed < .seconds(5))
    }
}
