import CCurl

/// `curl_global_init` exactly once per process. There is deliberately no cleanup: calling
/// `curl_global_cleanup` from an exit path can double-free against OpenSSL's own atexit handlers.
enum CurlGlobal {
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    static func ensureInitialized() {
        precondition(initialized, "libcurl could not be initialised (curl_global_init failed)")
    }
}
