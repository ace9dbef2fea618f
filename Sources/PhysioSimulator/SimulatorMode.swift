/// Which PhysioNet deployment the simulator imitates (docs/protocol.md §7).
public enum SimulatorMode: String, Codable, Sendable, CaseIterable {
    /// nginx streams the bytes after Django authorises: Range, validators, autoindex listings.
    case production
    /// Django's runserver sends the bytes itself: no Range, no validators, bare `<ul>` listings.
    case development
}
