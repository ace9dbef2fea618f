/// Who a page was rendered for, from the navbar markers (docs/protocol.md §2).
///
/// Every page carries the account dropdown toggle `nav_account_dropdown`, anonymous ones too (its text is then
/// the word "Account"), so the toggle says nothing about who is logged in. Only the menu entries do:
/// `nav_logout` appears for a logged-in user, `nav_login` for an anonymous visitor.
public enum PageViewer: Sendable, Hashable {
    case anonymous
    /// The username is the toggle's text; empty when the page has `nav_logout` but no readable toggle.
    case loggedIn(username: String)
    /// Neither marker was found (a fragment, or a changed layout).
    case unknown

    public var username: String? {
        if case .loggedIn(let name) = self { return name }
        return nil
    }

    static func from(_ page: HTMLScanner) -> PageViewer {
        let hasID = { (id: String) in !page.startIndices(where: { $0["id"] == id }).isEmpty }
        if hasID("nav_logout") {
            let toggle = page.startIndices(where: { $0["id"] == "nav_account_dropdown" }).first
            return .loggedIn(username: toggle.map { page.element(at: $0).text } ?? "")
        }
        if hasID("nav_login") { return .anonymous }
        return .unknown
    }
}
