import Foundation

/// Everything the simulated site knows at start-up: accounts and published projects.
///
/// Loaded from JSON; relative paths inside it (file folders) are resolved against the fixture file's folder,
/// so a fixture and its files travel together.
public struct SimulatorFixture: Codable, Sendable {
    public var schemaVersion: Int
    public var site: FixtureSite
    public var users: [FixtureUser]
    public var projects: [FixtureProject]
    /// Folder that relative paths are resolved against; set by `load(from:)`, not stored in the JSON.
    public var baseDirectory: URL?

    enum CodingKeys: String, CodingKey {
        case schemaVersion, site, users, projects
    }

    public init(
        schemaVersion: Int = 1, site: FixtureSite = FixtureSite(), users: [FixtureUser], projects: [FixtureProject],
        baseDirectory: URL? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.site = site
        self.users = users
        self.projects = projects
        self.baseDirectory = baseDirectory
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
        site = try container.decodeIfPresent(FixtureSite.self, forKey: .site) ?? FixtureSite()
        users = try container.decodeIfPresent([FixtureUser].self, forKey: .users) ?? []
        projects = try container.decodeIfPresent([FixtureProject].self, forKey: .projects) ?? []
        baseDirectory = nil
    }

    public static func load(from url: URL) throws -> SimulatorFixture {
        let data = try Data(contentsOf: url)
        var fixture = try JSONDecoder().decode(SimulatorFixture.self, from: data)
        fixture.baseDirectory = url.deletingLastPathComponent()
        return fixture
    }

    /// `Fixtures/physionet/fixture.json` in this package, found from this source file's location so that tests
    /// and the CLI work from any working directory.
    public static var defaultFixtureURL: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Fixture
            .deletingLastPathComponent()  // PhysioSimulator
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("Fixtures/physionet/fixture.json")
    }

    /// The default fixture; traps if the package's own fixture is missing or broken (a packaging bug).
    public static func loadDefault() throws -> SimulatorFixture {
        try load(from: defaultFixtureURL)
    }

    public func user(matching login: String) -> FixtureUser? {
        let wanted = login.lowercased()
        if login.contains("@") {
            return users.first { $0.email.lowercased() == wanted }
        }
        return users.first { $0.username.lowercased() == wanted }
    }

    public func project(slug: String) -> FixtureProject? {
        projects.first { $0.slug == slug }
    }
}

/// Site-wide settings.
public struct FixtureSite: Codable, Sendable {
    /// Basic-auth realm, the site name (docs/protocol.md §5).
    public var realm: String
    /// `sessionid` lifetime (docs/protocol.md §2; the example configuration uses 12 h).
    public var sessionLifetimeSeconds: Int
    /// Whether project pages ask for PhysioNet's own citation (Goldberger et al. 2000) besides the project's:
    /// physionet.org does, a fresh deployment does not (docs/protocol.md §11).
    public var platformCitation: Bool

    public init(realm: String = "PhysioNet", sessionLifetimeSeconds: Int = 43200, platformCitation: Bool = true) {
        self.realm = realm
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.platformCitation = platformCitation
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        realm = try container.decodeIfPresent(String.self, forKey: .realm) ?? "PhysioNet"
        sessionLifetimeSeconds = try container.decodeIfPresent(Int.self, forKey: .sessionLifetimeSeconds) ?? 43200
        platformCitation = try container.decodeIfPresent(Bool.self, forKey: .platformCitation) ?? true
    }
}
