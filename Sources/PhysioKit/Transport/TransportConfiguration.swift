/// Settings every request of one transport shares.
public struct TransportConfiguration: Sendable {
    /// Sent as `User-Agent`. PhysioNet asks tools for a distinctive one (docs/protocol.md §1).
    public var userAgent: String
    /// Time allowed to establish a connection.
    public var connectTimeoutSeconds: Double
    /// A transfer slower than `lowSpeedBytesPerSecond` for this long is abandoned as stalled.
    public var lowSpeedTimeSeconds: Int
    public var lowSpeedBytesPerSecond: Int
    /// `--proxy`: the proxy for every request. `nil` leaves libcurl to the conventional `https_proxy`,
    /// `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` variables. Either way requests go through a CONNECT tunnel,
    /// so the proxy never sees a cookie or a password, not even for a plain-http base URL.
    public var proxy: String?
    /// The certificate authorities to trust (`--cacert`, else `SSL_CERT_FILE` or `CURL_CA_BUNDLE`); `nil`
    /// is the system store. Institutions whose proxies re-sign TLS need theirs here.
    public var caFile: String?
    /// Signs every request with AWS Signature Version 4 (libcurl's `CURLOPT_AWS_SIGV4`): an S3 mirror read
    /// with the user's own keys. Only a mirror's transport has it; PhysioNet's never does.
    public var awsSignature: AWSSignature?
    /// Header fields sent with every request (a mirror's `x-amz-content-sha256`, a bearer token). A mirror's
    /// transport only: they may carry a secret meant for that host alone.
    public var fixedHeaders = HTTPHeaders()

    /// What libcurl needs to sign: `provider` such as `aws:amz:us-east-1:s3`, and the key pair.
    public struct AWSSignature: Sendable {
        public var provider: String
        public var accessKeyID: String
        public var secretAccessKey: String

        public init(provider: String, accessKeyID: String, secretAccessKey: String) {
            self.provider = provider
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
        }
    }

    public init(
        userAgent: String = PhysioVersion.userAgent,
        connectTimeoutSeconds: Double = 10,
        lowSpeedTimeSeconds: Int = 60,
        lowSpeedBytesPerSecond: Int = 1
    ) {
        self.userAgent = userAgent
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.lowSpeedTimeSeconds = lowSpeedTimeSeconds
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
    }
}

extension TransportConfiguration {
    /// The defaults, tuned by `PHYSIO_CONNECT_TIMEOUT_SECONDS` and `PHYSIO_LOW_SPEED_SECONDS` (how long a
    /// transfer may deliver nothing before it is abandoned and resumed) for slow or flaky networks.
    public static func fromEnvironment(
        _ environment: [String: String], proxy: String? = nil, caFile: String? = nil
    ) -> TransportConfiguration {
        var configuration = TransportConfiguration()
        configuration.proxy = proxy
        configuration.caFile = caFile ?? [environment["SSL_CERT_FILE"], environment["CURL_CA_BUNDLE"]]
            .compactMap { $0 }.first { !$0.isEmpty }
        if let seconds = environment["PHYSIO_CONNECT_TIMEOUT_SECONDS"].flatMap(Double.init), seconds > 0 {
            configuration.connectTimeoutSeconds = seconds
        }
        if let seconds = environment["PHYSIO_LOW_SPEED_SECONDS"].flatMap(Int.init), seconds > 0 {
            configuration.lowSpeedTimeSeconds = seconds
        }
        return configuration
    }
}
