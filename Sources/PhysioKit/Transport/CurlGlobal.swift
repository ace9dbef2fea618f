import CCurl

/// `curl_global_init` exactly once per process. There is deliberately no cleanup: calling
/// `curl_global_cleanup` from an exit path can double-free against OpenSSL's own atexit handlers.
enum CurlGlobal {
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    static func ensureInitialized() {
        precondition(initialized, "libcurl could not be initialised (curl_global_init failed)")
    }

    /// The libcurl and TLS library versions this process runs with (not the ones it was built against).
    static var libraryVersions: (curl: String, tls: String) {
        // The version and ssl_version fields exist since the first layout, so the oldest struct suffices.
        guard let info = curl_version_info(CURLVERSION_FIRST) else { return ("unknown", "unknown") }
        let curl = info.pointee.version.map { String(cString: $0) } ?? "unknown"
        let tls = info.pointee.ssl_version.map { String(cString: $0) } ?? "none"
        return (curl, tls)
    }
}
