import Foundation

/// A request as the simulated site sees it, decoupled from the HTTP server library so routes stay plain code.
struct SimulatorRequest: Sendable {
    let method: String
    /// Percent-decoded path, without the query.
    let path: String
    let rawQuery: String?
    let headers: [(name: String, value: String)]
    let body: [UInt8]
    /// Remote IP address (the "client" for per-client limits).
    let client: String
    /// Faults chosen for this request.
    var faults: ActiveFaults = ActiveFaults()

    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    var userAgent: String { header("User-Agent") ?? "" }

    var isGetOrHead: Bool { method == "GET" || method == "HEAD" }

    /// Cookies by name (the first occurrence wins, as Django's parser does).
    var cookies: [String: String] {
        var result: [String: String] = [:]
        for field in headers where field.name.lowercased() == "cookie" {
            for pair in field.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard let name = parts.first?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { continue }
                if result[name] == nil { result[name] = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : "" }
            }
        }
        return result
    }

    var hasAnyCookie: Bool { !cookies.isEmpty }

    /// Query parameters; a key without `=` maps to `""` (so `?download` is present).
    var query: [String: String] { FormDecoding.decode(rawQuery ?? "") }

    /// `application/x-www-form-urlencoded` body fields.
    var formFields: [String: String] { FormDecoding.decode(String(decoding: body, as: UTF8.self)) }
}

enum FormDecoding {
    static func decode(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = unescape(String(parts[0]))
            if result[name] == nil { result[name] = parts.count > 1 ? unescape(String(parts[1])) : "" }
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }

    /// Escapes a `next` value the way Django's `redirect_to_login` does (slashes stay).
    static func escapeQueryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "/-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
