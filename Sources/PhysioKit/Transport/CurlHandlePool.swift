import CCurl

/// Idle easy handles kept for the next transfer. Creating one per file costs an allocation storm
/// (including curl's 256 KiB receive buffer) that dominates datasets of many small files;
/// `curl_easy_reset` returns a handle to its defaults while keeping that memory.
/// Used only on the loop thread, like every other curl handle.
final class CurlHandlePool: @unchecked Sendable {
    private var idle: [UnsafeMutableRawPointer] = []
    private let capacity: Int

    init(capacity: Int = 16) {
        self.capacity = capacity
    }

    func take() -> UnsafeMutableRawPointer? {
        idle.popLast() ?? curl_easy_init()
    }

    func give(_ handle: UnsafeMutableRawPointer) {
        guard idle.count < capacity else {
            curl_easy_cleanup(handle)
            return
        }
        curl_easy_reset(handle)
        idle.append(handle)
    }
}
