/// Turns an agreement page (`/content/<slug>/view-dua/<ver>/`) into readable terminal text: the main
/// content as lines, tags removed, entities decoded.
public enum AgreementText {
    public static func readable(_ html: String) -> String {
        let page = HTMLScanner(html)
        var lines = (page.elements("main").first ?? page).lines
        // The page ends with a "Back to <title> v<ver>" link (docs/protocol.md §12): navigation, not agreement text.
        if let last = lines.last, last.hasPrefix("Back to ") {
            lines.removeLast()
            while lines.last?.isEmpty == true { lines.removeLast() }
        }
        return lines.joined(separator: "\n")
    }
}
