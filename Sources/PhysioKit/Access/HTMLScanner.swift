/// A forgiving HTML tokenizer and a few queries over its tokens: just enough to read PhysioNet's pages.
///
/// PhysioNet's markers (docs/protocol.md §2, §11, §13) are matched by element, attribute and link target, never by
/// byte layout, so attribute order, quoting, case and whitespace do not matter. Comments are dropped (the
/// project page carries a stale `<!-- wfdb-python: <p>Version: …</p> -->`), and so are script and style bodies.
struct HTMLScanner: Sendable {
    enum Token: Sendable, Equatable {
        case start(name: String, attributes: [String: String])
        case end(name: String)
        case text(String)
    }

    let tokens: [Token]

    init(_ html: String) {
        tokens = Self.tokenize(Array(html.unicodeScalars))
    }

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    // MARK: Queries

    /// Visible text with entities decoded and runs of whitespace collapsed to one space.
    /// Inline tags add nothing (`<strong>not</strong>.` reads "not."); block-level tags separate words.
    var text: String {
        var out = ""
        for token in tokens {
            switch token {
            case .text(let piece): out += piece
            case .start(let name, _), .end(let name): if Self.blockElements.contains(name) { out += " " }
            }
        }
        return Self.normalize(out)
    }

    /// Visible text as lines: block-level tags end a line, whitespace inside a line collapses, and runs of
    /// empty lines become one (for text shown to a person, such as an agreement).
    var lines: [String] {
        var raw = ""
        for token in tokens {
            switch token {
            case .text(let piece): raw += piece.replacing("\n", with: " ")
            case .start(let name, _), .end(let name): if Self.blockElements.contains(name) { raw += "\n" }
            }
        }
        var result: [String] = []
        for line in raw.split(separator: "\n", omittingEmptySubsequences: false).map({ Self.normalize(String($0)) })
        where !(line.isEmpty && (result.last?.isEmpty ?? true)) {
            result.append(line)
        }
        while result.last?.isEmpty == true { result.removeLast() }
        return result
    }

    /// Indices of start tags called `name` (of any element when nil) that satisfy `predicate`.
    func startIndices(of name: String? = nil, where predicate: ([String: String]) -> Bool = { _ in true }) -> [Int] {
        tokens.indices.filter {
            guard case .start(let tag, let attributes) = tokens[$0], name == nil || tag == name else { return false }
            return predicate(attributes)
        }
    }

    /// The tokens inside the element starting at `index`, up to its matching end tag (or, for elements whose
    /// end tag HTML lets authors omit, up to the next sibling start tag of the same name or the end).
    func element(at index: Int) -> HTMLScanner {
        guard case .start(let name, _) = tokens[index] else { return HTMLScanner(tokens: []) }
        var depth = 0
        var cursor = index + 1
        while cursor < tokens.count {
            switch tokens[cursor] {
            case .start(name, _):
                // An unclosed <p> or <li> ends where the next one begins; other elements nest.
                if Self.implicitlyClosed.contains(name) && depth == 0 {
                    return HTMLScanner(tokens: Array(tokens[(index + 1)..<cursor]))
                }
                depth += 1
            case .end(name):
                if depth == 0 { return HTMLScanner(tokens: Array(tokens[(index + 1)..<cursor])) }
                depth -= 1
            default: break
            }
            cursor += 1
        }
        return HTMLScanner(tokens: Array(tokens[(index + 1)...]))
    }

    /// Every element called `name` (matching `predicate`), as scanners over their content.
    func elements(_ name: String, where predicate: ([String: String]) -> Bool = { _ in true }) -> [HTMLScanner] {
        startIndices(of: name, where: predicate).map { element(at: $0) }
    }

    /// The tokens from just after `index` to the end.
    func suffix(after index: Int) -> HTMLScanner {
        HTMLScanner(tokens: index + 1 < tokens.count ? Array(tokens[(index + 1)...]) : [])
    }

    /// The tokens before `index`.
    func prefix(upTo index: Int) -> HTMLScanner {
        HTMLScanner(tokens: Array(tokens[..<min(index, tokens.count)]))
    }

    /// Links in document order: their `href` and visible text.
    var links: [(href: String, text: String)] {
        startIndices(of: "a") { $0["href"] != nil }.map { index in
            guard case .start(_, let attributes) = tokens[index] else { return ("", "") }
            return (attributes["href"] ?? "", element(at: index).text)
        }
    }

    /// Whether the element's `class` attribute lists `name` among its classes.
    static func hasClass(_ name: String, _ attributes: [String: String]) -> Bool {
        (attributes["class"] ?? "").split(whereSeparator: \.isWhitespace).contains { $0 == name }
    }

    static func normalize(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: Tokenizer

    private static let implicitlyClosed: Set<String> = ["p", "li", "td", "tr", "th", "option"]
    private static let rawText: Set<String> = ["script", "style"]

    private static func tokenize(_ s: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        var textStart = 0
        func flushText(upTo end: Int) {
            if end > textStart {
                tokens.append(.text(decodeEntities(String(String.UnicodeScalarView(s[textStart..<end])))))
            }
        }
        while i < s.count {
            guard s[i] == "<" else { i += 1; continue }
            if matches(s, at: i, "<!--") {
                flushText(upTo: i)
                i = find(s, "-->", from: i + 4).map { $0 + 3 } ?? s.count
                textStart = i
                continue
            }
            let next = i + 1 < s.count ? s[i + 1] : " "
            let isTag = next.properties.isAlphabetic || next == "/" || next == "!" || next == "?"
            guard isTag else { i += 1; continue }
            flushText(upTo: i)
            let (close, contentStart) = findTagEnd(s, from: i + 1)
            let inner = String(String.UnicodeScalarView(s[(i + 1)..<close]))
            i = min(contentStart, s.count)
            textStart = i
            if let token = parseTag(inner) {
                tokens.append(token)
                if case .start(let name, _) = token, rawText.contains(name) {
                    // Skip script/style bodies wholesale: they may contain "<" and markers-lookalikes.
                    let end = findCaseInsensitive(s, "</\(name)", from: i) ?? s.count
                    i = end
                    textStart = i
                }
            }
        }
        flushText(upTo: s.count)
        return tokens
    }

    /// Where a tag's inside ends (the `>`, skipping quoted attribute values) and where the content after it starts.
    ///
    /// Lenient for one malformation the real project page has (docs/protocol.md §11): a start tag missing its `>`,
    /// `<a href="…#1"CITI Data or Specimens Only Research</a>`. When a quoted value is followed directly by text
    /// that runs into another tag before any `>` or quote, the tag ends at that quote and the text is content.
    private static func findTagEnd(_ s: [Unicode.Scalar], from start: Int) -> (end: Int, contentStart: Int) {
        var quote: Unicode.Scalar?
        var i = start
        while i < s.count {
            let c = s[i]
            if let q = quote {
                if c == q {
                    quote = nil
                    if missingTagEnd(s, after: i) { return (i + 1, i + 1) }
                }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return (i, i + 1)
            }
            i += 1
        }
        return (s.count, s.count)
    }

    /// Whether the closing quote at `index` is glued to text (no space, `/` or `>`) that reaches a `<` before any
    /// `>` or quote: then the start tag never ended. (`a="x"b="y"` stays one tag: its text meets a quote first.)
    private static func missingTagEnd(_ s: [Unicode.Scalar], after index: Int) -> Bool {
        guard index + 1 < s.count else { return false }
        let next = s[index + 1]
        if next.properties.isWhitespace || next == ">" || next == "/" { return false }
        var i = index + 1
        while i < s.count {
            switch s[i] {
            case "<": return true
            case ">", "\"", "'": return false
            default: i += 1
            }
        }
        return false
    }

    private static func parseTag(_ inner: String) -> Token? {
        if inner.hasPrefix("!") || inner.hasPrefix("?") { return nil }  // doctype, processing instruction
        if inner.hasPrefix("/") {
            let name = inner.dropFirst().prefix { !$0.isWhitespace && $0 != ">" }.lowercased()
            return name.isEmpty ? nil : .end(name: name)
        }
        let scalars = Array(inner.unicodeScalars)
        var i = 0
        func readName() -> String {
            let start = i
            while i < scalars.count, !scalars[i].properties.isWhitespace, scalars[i] != "=", scalars[i] != ">",
                !(scalars[i] == "/" && i > start)
            {
                i += 1
            }
            return String(String.UnicodeScalarView(scalars[start..<i])).lowercased()
        }
        func skipSpace() {
            while i < scalars.count, scalars[i].properties.isWhitespace || scalars[i] == "/" { i += 1 }
        }
        let name = readName()
        guard !name.isEmpty else { return nil }
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard i < scalars.count else { break }
            let key = readName()
            if key.isEmpty { i += 1; continue }
            while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
            var value = ""
            if i < scalars.count, scalars[i] == "=" {
                i += 1
                while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
                if i < scalars.count, scalars[i] == "\"" || scalars[i] == "'" {
                    let quote = scalars[i]
                    let start = i + 1
                    i = start
                    while i < scalars.count, scalars[i] != quote { i += 1 }
                    value = String(String.UnicodeScalarView(scalars[start..<i]))
                    i += 1
                } else {
                    let start = i
                    while i < scalars.count, !scalars[i].properties.isWhitespace { i += 1 }
                    value = String(String.UnicodeScalarView(scalars[start..<i]))
                }
            }
            // The first occurrence of an attribute wins, as in browsers.
            if attributes[key] == nil { attributes[key] = decodeEntities(value) }
        }
        return .start(name: name, attributes: attributes)
    }

    private static func matches(_ s: [Unicode.Scalar], at i: Int, _ literal: String) -> Bool {
        let l = Array(literal.unicodeScalars)
        guard i + l.count <= s.count else { return false }
        return Array(s[i..<(i + l.count)]) == l
    }

    private static func find(_ s: [Unicode.Scalar], _ literal: String, from start: Int) -> Int? {
        var i = start
        while i < s.count {
            if matches(s, at: i, literal) { return i }
            i += 1
        }
        return nil
    }

    private static func findCaseInsensitive(_ s: [Unicode.Scalar], _ literal: String, from start: Int) -> Int? {
        let l = Array(literal.lowercased().unicodeScalars)
        var i = start
        while i + l.count <= s.count {
            if String(String.UnicodeScalarView(s[i..<(i + l.count)])).lowercased().unicodeScalars.elementsEqual(l) {
                return i
            }
            i += 1
        }
        return nil
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "#39": "'",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(10).firstIndex(of: ";") {
                let name = String(after[..<semi])
                if let known = namedEntities[name] {
                    out += known
                    rest = after[after.index(after: semi)...]
                    continue
                }
                if name.hasPrefix("#") {
                    let digits = name.dropFirst()
                    let code = digits.first == "x" || digits.first == "X"
                        ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                    if let code, let scalar = Unicode.Scalar(code) {
                        out.unicodeScalars.append(scalar)
                        rest = after[after.index(after: semi)...]
                        continue
                    }
                }
            }
            out += "&"
            rest = after
        }
        out += rest
        return out
    }
}

extension HTMLScanner {
    static let blockElements: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "table", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "form",
    ]

    /// The text that follows `marker` (matched case-insensitively across inline tags) up to the next block-level
    /// tag: the value part of a "Label: value" sentence.
    func textRun(after marker: String) -> String {
        var collected = ""
        var found = false
        for token in tokens {
            switch token {
            case .text(let piece):
                if found {
                    collected += piece
                } else if let range = piece.firstRange(ignoringASCIICase: marker) {
                    collected = String(piece[range.upperBound...])
                    found = true
                }
            case .start(let name, _), .end(let name):
                if found && Self.blockElements.contains(name) { return Self.normalize(collected) }
            }
        }
        return Self.normalize(collected)
    }
}
