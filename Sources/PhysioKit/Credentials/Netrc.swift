/// A parsed netrc file: `machine`/`default` entries with `login`, `password` and `account`.
///
/// Follows the ftp/curl grammar: whitespace-separated tokens, double-quoted values with `\"` and `\\` escapes,
/// `macdef` bodies skipped up to the next blank line, and `#` starting a comment where a keyword is expected
/// (a `#` inside a password is kept). Lookup is by host, then `default` (as SwiftPM's `Basics` does).
public struct Netrc: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        /// The host, or `nil` for the `default` entry.
        public var machine: String?
        public var login: String?
        public var password: String?
        public var account: String?

        public init(machine: String?, login: String? = nil, password: String? = nil, account: String? = nil) {
            self.machine = machine
            self.login = login
            self.password = password
            self.account = account
        }

        /// Never shows the password.
        public var description: String {
            "\(machine.map { "machine \($0)" } ?? "default") login \(login ?? "-") password \(password == nil ? "-" : "<redacted>")"
        }

        public var debugDescription: String { description }
    }

    public struct ParseError: Error, Sendable, Equatable {
        public let line: Int
        public let reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    public let entries: [Entry]

    public init(parsing text: String) throws(ParseError) {
        var lexer = NetrcLexer(text)
        var entries: [Entry] = []
        var current: Entry?
        func value(after keyword: String) throws(ParseError) -> String {
            guard let token = lexer.next() else {
                throw ParseError(line: lexer.line, reason: "`\(keyword)` has no value")
            }
            return token.text
        }
        while let token = lexer.next(skippingComments: true) {
            switch token.quoted ? "" : token.text {
            case "machine":
                if let current { entries.append(current) }
                current = Entry(machine: try value(after: "machine").lowercased())
            case "default":
                if let current { entries.append(current) }
                current = Entry(machine: nil)
            case "login":
                let login = try value(after: "login")
                current?.login = login
            case "password":
                let password = try value(after: "password")
                current?.password = password
            case "account":
                let account = try value(after: "account")
                current?.account = account
            case "macdef":
                _ = try value(after: "macdef")
                lexer.skipMacroBody()
            default:
                // Unknown tokens are ignored, as curl does, so newer netrc extensions do not break us.
                break
            }
        }
        if let current { entries.append(current) }
        self.entries = entries
    }

    /// The entry for `host` (case-insensitive), else `default`. With `login`, only entries for that login (or
    /// entries without one) qualify, so an explicit `--username` never picks up another account's password.
    public func entry(forHost host: String, login: String? = nil) -> Entry? {
        let host = host.lowercased()
        func fits(_ entry: Entry) -> Bool {
            guard let login else { return true }
            return entry.login == nil || entry.login == login
        }
        return entries.first { $0.machine == host && fits($0) } ?? entries.first { $0.machine == nil && fits($0) }
    }
}

/// Splits netrc text into tokens, tracking line numbers for error messages.
struct NetrcLexer {
    struct Token {
        var text: String
        var quoted: Bool
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private(set) var line = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    mutating func next(skippingComments: Bool = false) -> Token? {
        while true {
            while index < scalars.count, scalars[index].properties.isWhitespace {
                if scalars[index] == "\n" { line += 1 }
                index += 1
            }
            guard index < scalars.count else { return nil }
            if skippingComments && scalars[index] == "#" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                continue
            }
            break
        }
        var text = String.UnicodeScalarView()
        if scalars[index] == "\"" {
            index += 1
            while index < scalars.count, scalars[index] != "\"" {
                if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                if scalars[index] == "\n" { line += 1 }
                text.append(scalars[index])
                index += 1
            }
            index += 1
            return Token(text: String(text), quoted: true)
        }
        while index < scalars.count, !scalars[index].properties.isWhitespace {
            text.append(scalars[index])
            index += 1
        }
        return Token(text: String(text), quoted: false)
    }

    /// A macro body runs to the next empty line.
    mutating func skipMacroBody() {
        var previousWasNewline = false
        while index < scalars.count {
            let c = scalars[index]
            index += 1
            if c == "\n" {
                line += 1
                if previousWasNewline { return }
                previousWasNewline = true
            } else if c != "\r" {
                previousWasNewline = false
            }
        }
    }
}
