import Foundation
import Synchronization

/// Server-side sessions behind the `sessionid` cookie (docs/protocol.md §2).
final class SessionStore: Sendable {
    struct Session: Sendable {
        let username: String
        let created: Date
        /// A login made with the form. The other kind is the Basic-auth binding (docs/protocol.md §5): it remembers
        /// who authenticated with Basic but is not a login.
        let isLogin: Bool
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let clock: SimulatorClock

    init(clock: SimulatorClock) {
        self.clock = clock
    }

    func create(username: String, isLogin: Bool) -> String {
        let key = RandomToken.make(length: 32, alphabet: RandomToken.lowercaseAlphanumerics)
        let now = clock.now
        sessions.withLock { $0[key] = Session(username: username, created: now, isLogin: isLogin) }
        return key
    }

    /// The session for `key` unless it is older than `lifetime` seconds by the site's clock.
    func session(_ key: String?, lifetime: Double) -> Session? {
        guard let key else { return nil }
        let now = clock.now
        return sessions.withLock { all in
            guard let session = all[key] else { return nil }
            guard now.timeIntervalSince(session.created) < lifetime else { return nil }
            return session
        }
    }

    func delete(_ key: String?) {
        guard let key else { return }
        sessions.withLock { $0[key] = nil }
    }
}

/// DUA signatures made while the server runs (fixture signatures live in the fixture). Duplicates are kept,
/// as the real server stores one row per POST (docs/protocol.md §12).
final class AgreementStore: Sendable {
    private let signatures = Mutex<[String: [FixtureUser.SignedAgreement]]>([:])

    func sign(username: String, slug: String, version: String, now: Date = Date()) {
        let date = SimulatorDates.isoDay(now)
        signatures.withLock { $0[username, default: []].append(.init(slug: slug, version: version, date: date)) }
    }

    func signatures(of username: String) -> [FixtureUser.SignedAgreement] {
        signatures.withLock { $0[username] ?? [] }
    }
}

enum RandomToken {
    static let alphanumerics = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    static let lowercaseAlphanumerics = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    static func make(length: Int, alphabet: [Character] = alphanumerics) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
