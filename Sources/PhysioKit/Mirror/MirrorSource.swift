import FoundationEssentials

/// Where a fetch takes file bytes from (`--source`, or `source` in physio.toml). The file list and the hashes
/// always come from PhysioNet; a mirror only supplies bytes, each verified like any other.
public enum MirrorSource: Sendable, Equatable, CustomStringConvertible {
    case physionet
    /// PhysioNet's AWS Open Data bucket `physionet-open`, read anonymously.
    case awsOpen
    /// An S3 bucket granted to the user's AWS account; `prefix` is the folder holding the version's files
    /// (empty: the bucket's root, as in `s3://mimic-iii-physionet`).
    case s3(bucket: String, prefix: String)
    /// A requester-pays Google Cloud Storage bucket (`<slug>-<version>.physionet.org`); the prefix as for S3.
    case gcs(bucket: String, prefix: String)
    /// `aws-open` when it carries the version (one HEAD of its SHA256SUMS.txt), else PhysioNet.
    case auto

    public init?(_ text: String) {
        switch text {
        case "physionet": self = .physionet
        case "aws-open": self = .awsOpen
        case "auto": self = .auto
        default:
            for (scheme, make) in [("s3://", Self.s3), ("gs://", Self.gcs)] where text.hasPrefix(scheme) {
                let rest = text.dropFirst(scheme.count)
                let bucket = String(rest.prefix { $0 != "/" })
                let prefix = rest.dropFirst(bucket.count).split(separator: "/").joined(separator: "/")
                guard Self.isBucketName(bucket), !prefix.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return nil }
                self = make(bucket, prefix)
                return
            }
            return nil
        }
    }

    /// S3's and GCS's rules, loosely: 3-222 characters of lower-case letters, digits, dots, hyphens and
    /// underscores, starting and ending with a letter or digit.
    static func isBucketName(_ name: String) -> Bool {
        guard (3...222).contains(name.count), let first = name.unicodeScalars.first, let last = name.unicodeScalars.last else { return false }
        let edge: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return edge(first) && edge(last) && name.unicodeScalars.allSatisfy {
            edge($0) || $0 == "." || $0 == "-" || $0 == "_"
        }
    }

    public var description: String {
        switch self {
        case .physionet: return "physionet"
        case .awsOpen: return "aws-open"
        case .auto: return "auto"
        case .s3(let bucket, let prefix): return "s3://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)")
        case .gcs(let bucket, let prefix): return "gs://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)")
        }
    }
}
