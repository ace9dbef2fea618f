import FoundationEssentials

extension URL {
    /// The URL without any user-info, for messages and logs.
    public var redactedString: String {
        guard user != nil || password != nil, var parts = URLComponents(url: self, resolvingAgainstBaseURL: true) else {
            return absoluteString
        }
        parts.user = nil
        parts.password = nil
        return parts.string ?? absoluteString
    }
}
