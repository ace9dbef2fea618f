import Foundation

/// The PhysioNet server physio talks to: `--base-url`, else `PHYSIO_BASE_URL`, else physionet.org.
public enum BaseURL {
    public static let production = URL(string: "https://physionet.org")!

    public static func resolve(flag: String?, environment: [String: String], allowInsecureHTTP: Bool) throws(PhysioError) -> URL {
        let text = flag ?? environment["PHYSIO_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text else { return production }
        guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw .usage("'\(text)' is not an http(s) URL. Pass a base URL like https://physionet.org to --base-url or PHYSIO_BASE_URL.")
        }
        guard url.user == nil && url.password == nil else {
            throw .usage("The base URL must not contain a user name or password. Use `physio login` or ~/.netrc for credentials.")
        }
        if scheme == "http" && !URLOrigin(url).isLoopback && !allowInsecureHTTP {
            throw .insecureBaseURL(url.absoluteString)
        }
        return url
    }
}
