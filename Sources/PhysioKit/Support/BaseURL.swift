import FoundationEssentials

/// The PhysioNet server physio talks to: `--base-url`, else `PHYSIO_BASE_URL`, else physionet.org.
///
/// Only the choice of source lives here; whether a URL is acceptable is `PhysioNetSite.validate`'s rule,
/// shared with every account command.
public enum BaseURL {
    public static func resolve(flag: String?, environment: [String: String], allowInsecureHTTP: Bool) throws(PhysioError) -> URL {
        let text = flag ?? environment["PHYSIO_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text else { return PhysioNetSite.defaultBaseURL }
        guard let url = URL(string: text) else {
            throw .usage("'\(text)' is not an http(s) URL. Pass a base URL like https://physionet.org to --base-url or PHYSIO_BASE_URL.")
        }
        return try PhysioNetSite.validate(baseURL: url, allowInsecureHTTP: allowInsecureHTTP).baseURL
    }
}
