import FoundationEssentials

/// A resolved mirror for one dataset version: where each file's bytes are, and how to ask for them (its own
/// transport settings: anonymous, signed with the user's AWS keys, or a Google bearer token). It never
/// shares a transport with PhysioNet, so no PhysioNet cookie reaches a bucket and no cloud secret reaches
/// PhysioNet.
public struct CloudMirror: Sendable {
    /// The source as the user named it (`aws-open`, `s3://bucket/prefix`, `gs://bucket`): reports and the
    /// inventory's `source` column.
    public let name: String
    /// The URL text of the folder that holds the version's files, ending in `/`.
    let folder: String
    /// Appended to every object URL (`?userProject=…` for requester-pays GCS).
    let query: String
    public let configuration: TransportConfiguration
    /// Where the credentials came from, for messages (never the credentials).
    let credentialOrigin: String?

    public func url(for path: DatasetPath) -> URL {
        URL(string: folder + PhysioNetSite.escapePath(path.value) + query)!
    }

    /// The inputs a mirror needs from the outside world.
    public struct Context: Sendable {
        public var environment: [String: String]
        public var homeDirectory: String
        /// `--billing-project`, for requester-pays GCS.
        public var billingProject: String?
        /// The transport settings PhysioNet's requests use (agent, timeouts, proxy, CA file), copied.
        public var base: TransportConfiguration

        public init(environment: [String: String], homeDirectory: String, billingProject: String?, base: TransportConfiguration) {
            self.environment = environment
            self.homeDirectory = homeDirectory
            self.billingProject = billingProject
            self.base = base
        }
    }

    /// The mirror for `slug`@`version`, or `nil` for `physionet`. `auto` must be settled first (`FetchEngine`
    /// probes it).
    public static func resolve(_ source: MirrorSource, slug: String, version: String, context: Context) throws(PhysioError) -> CloudMirror? {
        let environment = context.environment
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var configuration = context.base
        configuration.awsSignature = nil
        configuration.fixedHeaders = HTTPHeaders()
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1"
        var s3Endpoint: String?
        for variable in ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] where s3Endpoint == nil {
            if let text = value(variable) { s3Endpoint = try endpoint(text, variable: variable) }
        }
        let version = PhysioNetSite.segment(version)
        switch source {
        case .physionet, .auto:
            return nil
        case .awsOpen:
            let folder = s3Endpoint.map { "\($0)/physionet-open/\(PhysioNetSite.segment(slug))/\(version)/" }
                ?? "https://physionet-open.s3.amazonaws.com/\(PhysioNetSite.segment(slug))/\(version)/"
            return CloudMirror(name: source.description, folder: folder, query: "", configuration: configuration, credentialOrigin: nil)
        case .s3(let bucket, let prefix):
            guard let credentials = try AWSCredentials.find(environment: environment, homeDirectory: context.homeDirectory) else {
                throw .mirrorNeedsCredentials(source: source.description, how: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials (AWS_PROFILE)")
            }
            configuration.awsSignature = TransportConfiguration.AWSSignature(
                provider: "aws:amz:\(region):s3", accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey)
            // S3 refuses a SigV4 request without the payload hash header, which libcurl does not add itself.
            configuration.fixedHeaders.set("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
            if let token = credentials.sessionToken { configuration.fixedHeaders.set("x-amz-security-token", token) }
            // Virtual-host addressing, except for a custom endpoint or a dotted name (its TLS name would not
            // match the wildcard certificate): path style then.
            let host = s3Endpoint.map { "\($0)/\(bucket)" }
                ?? (bucket.contains(".") ? "https://s3.\(region).amazonaws.com/\(bucket)" : "https://\(bucket).s3.\(region).amazonaws.com")
            return CloudMirror(
                name: source.description, folder: host + "/" + Self.folder(prefix), query: "", configuration: configuration,
                credentialOrigin: credentials.origin)
        case .gcs(let bucket, let prefix):
            guard let project = context.billingProject ?? value("GOOGLE_CLOUD_PROJECT") else {
                throw .usage("\(source) is a requester-pays bucket: name the Google Cloud project to bill with --billing-project or GOOGLE_CLOUD_PROJECT.")
            }
            let token = try GoogleAccessToken.find(environment: environment)
            configuration.fixedHeaders.set("Authorization", "Bearer \(token.value)")
            var host = "https://storage.googleapis.com"
            if let emulator = value("STORAGE_EMULATOR_HOST") {
                host = try endpoint(emulator.contains("://") ? emulator : "http://" + emulator, variable: "STORAGE_EMULATOR_HOST")
            }
            let escaped = FormEncoding.escape(project)
            return CloudMirror(
                name: source.description, folder: "\(host)/\(bucket)/" + Self.folder(prefix), query: "?userProject=\(escaped)",
                configuration: configuration, credentialOrigin: token.origin)
        }
    }

    /// `prefix/` for a non-empty prefix, segment by segment escaped.
    private static func folder(_ prefix: String) -> String {
        prefix.isEmpty ? "" : prefix.split(separator: "/").map { PhysioNetSite.segment(String($0)) }.joined(separator: "/") + "/"
    }

    /// A custom endpoint (an S3-compatible store, an emulator) as the cloud tools take it: `https://`, or
    /// plain `http://` on loopback only, like the base URL. Returned without a trailing `/`.
    static func endpoint(_ text: String, variable: String) throws(PhysioError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            throw .usage("\(variable)=\(text) is not an http(s) URL; set it to the endpoint, such as https://s3.example.org.")
        }
        guard url.user == nil, url.password == nil else {
            throw .usage("\(variable) must not carry a user name or password; the keys belong in the AWS variables or profile.")
        }
        if scheme == "http" && !URLOrigin(url).isLoopback {
            throw .usage("\(variable)=\(text) is plain http to a host that is not loopback; use https.")
        }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }
}
