import Foundation

/// Turns an agreement page (`/content/<slug>/view-dua/<ver>/`) into readable terminal text: the main content,
/// tags removed, entities decoded.
public enum AgreementText {
    public static func readable(_ html: String) -> String {
        var body = html
        if let start = body.range(of: "<main"), let end = body.range(of: "</main>", range: start.upperBound..<body.endIndex) {
            body = String(body[start.lowerBound..<end.upperBound])
        }
        for tag in ["script", "style"] {
            while let open = body.range(of: "<\(tag)"), let close = body.range(of: "</\(tag)>", range: open.upperBound..<body.endIndex) {
                body.removeSubrange(open.lowerBound..<close.upperBound)
            }
        }
        let breaks = ["</p>", "<br>", "<br/>", "<br />", "</li>", "</h1>", "</h2>", "</h3>", "</h4>", "</div>"]
        for tag in breaks { body = body.replacingOccurrences(of: tag, with: tag + "\n", options: .caseInsensitive) }
        var text = ""
        var inTag = false
        for character in body {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        let entities = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'", "&nbsp;": " "]
        for (entity, value) in entities { text = text.replacingOccurrences(of: entity, with: value) }
        let lines = text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [String] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(line) }
        // The page ends with a "Back to <title> v<ver>" link (PROTOCOL.md §3.10): navigation, not agreement text.
        if let last = result.last(where: { !$0.isEmpty }), last.hasPrefix("Back to ") {
            result.removeSubrange(result.lastIndex(of: last)!...)
        }
        return result.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
