import FoundationEssentials

/// The AWS key pair for an `s3://` mirror, found as the AWS CLI finds it: `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`), else the `AWS_PROFILE` (or `default`) section of
/// `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`), which, like a netrc, must be readable by its
/// owner alone. The secret goes to libcurl only; it is never printed.
struct AWSCredentials: Sendable {
    var accessKeyID: String
    var secretAccessKey: String
    var sessionToken: String?
    /// Where they came from, for messages (`the environment`, `profile research in ~/.aws/credentials`).
    var origin: String

    static func find(environment: [String: String], homeDirectory: String) throws(PhysioError) -> AWSCredentials? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") {
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"), origin: "the environment")
        }
        let path = value("AWS_SHARED_CREDENTIALS_FILE") ?? URL(fileURLWithPath: homeDirectory).appendingPathComponent(".aws/credentials").path
        let profile = value("AWS_PROFILE") ?? "default"
        let contents: SecureFile.Contents
        do {
            guard let loaded = try SecureFile.loadPrivate(path) else { return nil }
            contents = loaded
        } catch {
            switch error {
            case .unreadable(let reason): throw .cloudCredentialsFile(path: path, problem: "could not be read (\(reason))")
            case .exposed(let mode):
                throw .cloudCredentialsFile(path: path, problem: "is accessible by other users (mode \(String(mode & 0o777, radix: 8)))")
            case .notOwned: throw .cloudCredentialsFile(path: path, problem: "belongs to another user")
            }
        }
        let section = Self.section(profile, in: String(decoding: contents.bytes, as: UTF8.self))
        guard let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else { return nil }
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"],
            origin: "profile \(profile) in \(path)")
    }

    /// The `key = value` lines of `[name]` in an INI file as the AWS CLI writes it. Hand-written because no
    /// package here reads INI, and TOML parsers reject its unquoted values; it reads nothing else.
    static func section(_ name: String, in text: String) -> [String: String] {
        var current: String?
        var values: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingASCIISpace
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = line.dropFirst().dropLast().trimmingASCIISpace
                continue
            }
            guard current == name, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingASCIISpace.lowercased()
            values[key] = line[line.index(after: equals)...].trimmingASCIISpace
        }
        return values
    }
}
