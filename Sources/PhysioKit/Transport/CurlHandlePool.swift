import CCurl

/// Idle easy handles kept for the next transfer. Creating one per file costs an allocation storm
/// (including curl's 256 KiB receive buffer) that dominates datasets of many small files.
/// A handle that carried a GET goes back as it is: the next request sets every option a GET uses, and
/// skipping `curl_easy_reset` keeps curl's buffers instead of freeing and reallocating them per file.
/// Any other method may leave options behind (a POST body), so those handles are reset.
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

    func give(_ handle: UnsafeMutableRawPointer, reset: Bool) {
        guard idle.count < capacity else {
            curl_easy_cleanup(handle)
            return
        }
        if reset { curl_easy_reset(handle) }
        idle.append(handle)
    }
}
