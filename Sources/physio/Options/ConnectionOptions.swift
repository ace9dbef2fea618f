import ArgumentParser
import FoundationEssentials
import PhysioKit

/// Which PhysioNet server to talk to.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).")
    var baseURL: String?

    @Flag(name: .long, help: "Allow plain http:// to a host other than loopback.")
    var allowInsecureHTTP = false

    @Option(name: .long, help: "Proxy URL (default: $HTTPS_PROXY / $https_proxy / $ALL_PROXY, honouring $NO_PROXY). Credentials belong in the environment variable, not here.")
    var proxy: String?

    @Option(name: .long, help: "CA certificates to trust, PEM (default: $SSL_CERT_FILE, else $CURL_CA_BUNDLE, else the system store).")
    var cacert: String?

    func validate() throws {
        if let proxy {
            guard let url = URL(string: proxy.contains("://") ? proxy : "http://" + proxy), url.host != nil else {
                throw ValidationError("--proxy \(proxy) is not a proxy URL; use http://host:port.")
            }
            guard url.user == nil, url.password == nil else {
                throw ValidationError("--proxy must not carry a user name or password (command lines are visible to every user); put them in HTTPS_PROXY instead.")
            }
        }
        if let cacert, !FileManager.default.isReadableFile(atPath: cacert) {
            throw ValidationError("--cacert \(cacert) cannot be read; pass a PEM file of the certificate authorities to trust.")
        }
    }

    /// These options as typed, for a command physio prints (a hint runs against the same server).
    var commandWords: [String] {
        var words: [String] = []
        if let baseURL { words += ["--base-url", baseURL] }
        if allowInsecureHTTP { words.append("--allow-insecure-http") }
        if let proxy { words += ["--proxy", proxy] }
        if let cacert { words += ["--cacert", cacert] }
        return words
    }

    func resolveBaseURL() throws(PhysioError) -> URL {
        try BaseURL.resolve(flag: baseURL, environment: invocation.environment, allowInsecureHTTP: allowInsecureHTTP)
    }
}
