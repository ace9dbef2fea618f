import CCurl
import CPhysioShims

/// Idle easy handles kept for the next transfer. Creating one per file costs an allocation storm that
/// dominates datasets of many small files.
/// A handle that carried a GET goes back without `curl_easy_reset`: the next request sets every option a
/// GET uses, so resetting (which frees every string option only for them to be duplicated again) is work
/// for nothing. Its pointers to the finished transfer's error buffer and header list are cleared, so an
/// idle handle never refers to freed memory. Any other method may leave options behind (a POST body), so
/// those handles are reset.
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
        if reset {
            curl_easy_reset(handle)
        } else {
            _ = physio_easy_set_pointer(handle, CURLOPT_ERRORBUFFER, nil)
            _ = physio_easy_set_pointer(handle, CURLOPT_HTTPHEADER, nil)
        }
        idle.append(handle)
    }
}
