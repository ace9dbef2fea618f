import FoundationEssentials

/// What PhysioNet publishes, read from the published-projects API (the older family, which every server has:
/// docs/protocol.md §15): `physio search`, `physio versions`, and the help a wrong slug or version gets (the
/// closest slugs, the published versions, the page).
public struct ProjectCatalog: Sendable {
    let client: SiteClient

    public init(transport: any HTTPTransport, site: PhysioNetSite, retry: RetryPolicy = RetryPolicy()) {
        client = SiteClient(transport: transport, site: site, retrier: Retrier(policy: retry))
    }

    public var site: PhysioNetSite { client.site }

    /// One published project as `physio search` lists it.
    public struct Project: Sendable, Codable, Equatable {
        public var slug: String
        public var title: String
        public var latestVersion: String?
        /// open, credentialed, restricted, contributor review, or the agreement's name: the API names the data
        /// use agreement, not the policy, and each policy has its own agreement.
        public var access: String
        /// Bytes of the latest version's files.
        public var size: Int64?
        public var page: String
    }

    /// One published version as `physio versions` lists it.
    public struct Version: Sendable, Codable, Equatable {
        public var version: String
        /// `YYYY-MM-DD`.
        public var published: String?
        public var latest: Bool
        public var size: Int64?
    }

    private struct Named: Decodable {
        var name: String?
    }

    private struct ListItem: Decodable {
        var slug: String
        var version: String?
        var title: String?
        var dua: Named?
        var main_storage_size: Int64?
    }

    private struct VersionItem: Decodable {
        var version: String
    }

    private struct Detail: Decodable {
        var publish_datetime: String?
        var main_storage_size: Int64?
    }

    /// Projects whose slug, title or abstract contains `term`, one entry per project (its latest version).
    public func search(_ term: String) async throws -> [Project] {
        let items = try await list(path: "api/v1/project/published/search/", query: "search_term=\(Self.queryEscape(term))&resource_type=all")
        var order: [String] = []
        var bySlug: [String: [ListItem]] = [:]
        for item in items {
            if bySlug[item.slug] == nil { order.append(item.slug) }
            bySlug[item.slug, default: []].append(item)
        }
        var projects: [Project] = []
        for slug in order {
            guard let found = bySlug[slug], let anyItem = found.last else { continue }
            let latest = await latestVersion(of: slug, published: nil)
            let item = found.first { $0.version == latest } ?? anyItem
            projects.append(Project(
                slug: slug, title: item.title ?? slug, latestVersion: latest, access: Self.access(dua: item.dua?.name),
                size: item.main_storage_size, page: site.projectURL(slug: slug).absoluteString))
        }
        return projects
    }

    /// Every published version of `slug`, oldest first, with its date and size; `projectNotFound` (with the
    /// closest slugs) when nothing of that name is published.
    public func versions(of slug: String) async throws -> [Version] {
        let names = try await versionNames(of: slug)
        guard !names.isEmpty else { throw await explainMissingProject(slug) }
        let latest = await latestVersion(of: slug, published: names)
        var versions: [Version] = []
        for name in names {
            let detail = try? await json(Detail.self, path: "api/v1/project/published/\(PhysioNetSite.segment(slug))/\(PhysioNetSite.segment(name))/")
            versions.append(Version(
                version: name, published: detail?.publish_datetime.map { String($0.prefix(10)) }, latest: name == latest,
                size: detail?.main_storage_size))
        }
        return versions
    }

    /// `error` with the help its facts call for: for a project that is not published, the closest published
    /// slugs and their pages; for a missing version, the versions that are published and the project's page,
    /// with `rerun(version)` as the command to fetch one. Any other error, or one the API cannot help with,
    /// comes back as it was.
    public func explain(_ error: PhysioError, rerun: (String) -> PrintedCommand) async -> PhysioError {
        guard let slug = error.facts["slug"] else { return error }
        switch error.kind {
        case .projectNotFound:
            guard let names = try? await versionNames(of: slug) else { return error }
            if names.isEmpty { return await explainMissingProject(slug) }
            // The project exists, so the version was what was missing.
            guard let version = error.facts["version"] else { return error }
            return .versionNotFound(
                slug: slug, version: version, published: names, page: site.projectURL(slug: slug).absoluteString,
                rerun: await latestVersion(of: slug, published: names).map(rerun))
        case .versionNotFound:
            guard let version = error.facts["version"], let names = try? await versionNames(of: slug), !names.isEmpty else { return error }
            return .versionNotFound(
                slug: slug, version: version, published: names, page: site.projectURL(slug: slug).absoluteString,
                rerun: await latestVersion(of: slug, published: names).map(rerun))
        default:
            return error
        }
    }

    private func explainMissingProject(_ slug: String) async -> PhysioError {
        let slugs = (try? await list(path: "api/v1/project/published/", query: nil).map(\.slug)) ?? []
        let closest = Self.closest(to: slug, among: slugs)
        return .projectNotFound(
            slug: slug, baseURL: site.description,
            suggestions: closest.map { ($0, site.projectURL(slug: $0).absoluteString) })
    }

    /// The first dataset of `environment` whose slug PhysioNet does not publish, as the physio.toml mistake
    /// it is (its line, the closest published slugs), so a sync stops before it downloads anything. One
    /// request for the whole list; `nil` when every slug is published or the list cannot be read (the
    /// sync's own requests then say what is wrong).
    public func unpublished(in environment: DataEnvironment) async -> PhysioError? {
        guard let items = try? await list(path: "api/v1/project/published/", query: nil), !items.isEmpty else { return nil }
        let published = Set(items.map(\.slug))
        guard let wrong = environment.datasets.first(where: { !published.contains($0.slug) }) else { return nil }
        let closest = Self.closest(to: wrong.slug, among: Array(published))
        return .configuration(
            path: environment.file.path, line: wrong.line, problem: "PhysioNet publishes no project '\(wrong.slug)'",
            fix: closest.isEmpty
                ? "Check the slug on the project's page (the part after /content/), or look it up with `physio search WORD`."
                : "Did you mean \(closest.joined(separator: ", or ")) (\(site.projectURL(slug: closest[0]).absoluteString))? Nothing was downloaded.")
    }

    /// The versions the API lists for `slug`, in publication order; empty for an unknown slug.
    /// The latest version as `fetch` resolves it, from the redirect of the project's page: the API lists
    /// versions in the order they were published, so a fix to an older version comes last (docs/protocol.md
    /// §10). The last of `published` only when the page cannot say.
    private func latestVersion(of slug: String, published: [String]?) async -> String? {
        if let latest = try? await RemoteDataset.latestVersion(of: slug, client: client, site: site) { return latest }
        if let published { return published.last }
        return try? await versionNames(of: slug).last
    }

    func versionNames(of slug: String) async throws -> [String] {
        try await json([VersionItem].self, path: "api/v1/project/published/\(PhysioNetSite.segment(slug))/").map(\.version)
    }

    private func list(path: String, query: String?) async throws -> [ListItem] {
        try await json([ListItem].self, path: path, query: query)
    }

    private func json<T: Decodable>(_ type: T.Type, path: String, query: String? = nil) async throws -> T {
        let address = site.baseURL.absoluteString + "/" + path + (query.map { "?" + $0 } ?? "")
        guard let url = URL(string: address) else { throw PhysioError.internalFailure("cannot form the API URL \(address)") }
        let response = try await client.get(url, headers: ["Accept": "application/json"], bodyLimit: 64 << 20)
        guard response.status == 200 else {
            throw PhysioError.unexpectedResponse(url: url.absoluteString, status: response.status, during: "reading the published-projects list")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw PhysioError.unrecognisedPage(url: url.absoluteString, expected: "published-projects JSON")
        }
    }

    /// The access policy a data use agreement's name implies (each policy has its own agreement).
    static func access(dua: String?) -> String {
        guard let dua, !dua.isEmpty else { return "open" }
        let name = dua.lowercased()
        if name.contains("credentialed") { return "credentialed" }
        if name.contains("contributor review") { return "contributor review" }
        if name.contains("restricted") { return "restricted" }
        return "restricted (\(dua))"
    }

    /// Up to three of `slugs` nearest to `slug`: those containing it or contained in it, then those within a
    /// few edits, nearest first.
    public static func closest(to slug: String, among slugs: [String]) -> [String] {
        let target = slug.lowercased()
        let romanized = romanizingDigits(target)
        let limit = max(2, target.count / 3)
        var scored: [(String, Int)] = []
        for candidate in Set(slugs) {
            let distance = min(editDistance(target, candidate.lowercased()), editDistance(romanized, candidate.lowercased()))
            if distance <= limit || (target.count >= 4 && (candidate.contains(target) || target.contains(candidate))) {
                scored.append((candidate, distance))
            }
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    /// PhysioNet spells MIMIC's generations in roman numerals (`mimiciii`, `mimiciv`) where people write
    /// digits (`mimic3`, `mimic-4`): a digit from 1 to 5 after a letter or hyphen, read as its numeral.
    static func romanizingDigits(_ text: String) -> String {
        let numerals: [Character: String] = ["1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v"]
        var out = ""
        var previous: Character?
        for character in text {
            if let numeral = numerals[character], let before = previous, before.isLetter || before == "-" {
                out += numeral
            } else {
                out.append(character)
            }
            previous = character
        }
        return out
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// `text` for a query string: unreserved characters as they are, every other byte percent-encoded.
    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
