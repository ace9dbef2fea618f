import FoundationEssentials

/// A project version's page, `/content/<slug>/<version>/`, as far as access is concerned (docs/protocol.md §10, §11).
public struct ProjectPage: Sendable, Hashable {
    public var project: ProjectVersionRef
    public var title: String
    /// The version the page header shows (falls back to the requested one).
    public var version: String
    /// False when the page carries the "This is not the latest version." alert.
    public var isLatest: Bool
    public var policy: AccessPolicy
    /// The data use agreement's name, when the project has one.
    public var duaName: String?
    /// Every training the access card lists (not only the unmet ones).
    public var requiredTrainings: [RequiredTraining]
    public var viewer: PageViewer
    public var filesState: ProjectFilesState
    /// Cloud copies the Files section offers (`aws s3 sync … s3://physionet-open/…`, `gsutil … gs://…`), as
    /// `--source` values: `aws-open`, `s3://bucket/prefix`, `gs://bucket`.
    public var mirrors: [String] = []
    /// "Total uncompressed size: 10.2 MB." in the Files section, in bytes: rounded by the page (PhysioNet
    /// prints one decimal of 1024-based units), so an estimate, for progress when listings give no sizes.
    public var totalUncompressedSize: Int64?

    /// Parses the page fetched for `project`. Throws when the badge or the Files state cannot be found, because
    /// guessing either would misreport access.
    public init(html: String, project: ProjectVersionRef) throws(PageParseError) {
        let page = HTMLScanner(html)
        let text = page.text
        self.project = project
        version = Self.headerVersion(in: text) ?? project.version
        title = Self.title(of: page, version: version) ?? project.slug
        isLatest = !text.lowercased().contains("this is not the latest version")
        guard let policy = Self.policy(of: page) else { throw PageParseError(expected: "access policy badge") }
        self.policy = policy
        duaName = page.links.first { $0.href.contains("/view-dua/") }.map(\.text).flatMap { $0.isEmpty ? nil : $0 }
        requiredTrainings = Self.trainings(in: page)
        viewer = PageViewer.from(page)
        guard let state = Self.filesState(of: page, project: project) else {
            throw PageParseError(expected: "Files section (access the files, embargo, deprecation or restricted-access alert)")
        }
        filesState = state
        mirrors = Self.mirrors(in: page)
        totalUncompressedSize = Self.humanSize(Self.filesSection(of: page).textRun(after: "Total uncompressed size:"))
    }

    /// `10.2 MB`, `512 bytes`, `1.5 GB.` in bytes (KB, MB, GB, TB are 1024-based on PhysioNet's pages).
    static func humanSize(_ text: String) -> Int64? {
        let words = text.split(whereSeparator: \.isWhitespace).prefix(2)
        guard words.count == 2, let number = Double(words[words.startIndex]), number.isFinite, number >= 0, number < 1e6 else {
            return nil
        }
        let unit = words[words.index(after: words.startIndex)].lowercased().filter(\.isLetter)
        let scale: Double
        switch unit {
        case "byte", "bytes", "b": scale = 1
        case "kb", "kib": scale = 1024
        case "mb", "mib": scale = 1024 * 1024
        case "gb", "gib": scale = 1024 * 1024 * 1024
        case "tb", "tib": scale = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        return Int64((number * scale).rounded())
    }

    /// The bucket URLs of the page's shell commands, in page order, each once.
    static func mirrors(in page: HTMLScanner) -> [String] {
        var found: [String] = []
        for command in page.elements("pre").map(\.text) {
            for word in command.split(separator: " ") where word.hasPrefix("s3://") || word.hasPrefix("gs://") {
                var url = String(word)
                while url.hasSuffix("/") { url.removeLast() }
                let name = url.hasPrefix("s3://physionet-open/") ? "aws-open" : url
                if !found.contains(name) { found.append(name) }
            }
        }
        return found
    }

    // MARK: Pieces

    private static func title(of page: HTMLScanner, version: String) -> String? {
        if let heading = page.elements("h1").map(\.text).first(where: { !$0.isEmpty }) { return heading }
        guard var title = page.elements("title").first?.text, !title.isEmpty else { return nil }
        // The <title> reads "<title> v<version>".
        if title.hasSuffix(" v\(version)") { title.removeLast(version.count + 2) }
        return title
    }

    /// The version in the header "Published: <date>. Version: <ver>" (comments were dropped by the scanner).
    private static func headerVersion(in text: String) -> String? {
        guard let marker = text.firstRange(of: "Version:") else { return nil }
        let rest = text[marker.upperBound...].drop { $0 == " " }
        var version = String(rest.prefix { $0.isNumber || $0 == "." })
        while version.hasSuffix(".") { version.removeLast() }
        return version.first?.isNumber == true ? version : nil
    }

    private static func policy(of page: HTMLScanner) -> AccessPolicy? {
        for badge in page.elements("span", where: { HTMLScanner.hasClass("badge", $0) }) {
            if let policy = AccessPolicy.fromBadge(badge.text) { return policy }
        }
        return AccessPolicy.fromPolicySentence(page.text)
    }

    static func trainings(in page: HTMLScanner) -> [RequiredTraining] {
        var seen = Set<String>()
        var trainings: [RequiredTraining] = []
        for link in page.links where link.href.contains("/view-required-training/") {
            let id = link.href.split(separator: "#", maxSplits: 1).dropFirst().first.map(String.init)
            let training = RequiredTraining(id: id?.isEmpty == true ? nil : id, name: link.text)
            if seen.insert(training.id ?? training.name).inserted { trainings.append(training) }
        }
        return trainings
    }

    /// The Files section's state; the first matching marker wins, in the server template's order.
    private static func filesState(of page: HTMLScanner, project: ProjectVersionRef) -> ProjectFilesState? {
        let section = filesSection(of: page)
        let text = section.text
        let lowered = text.lowercased()
        if lowered.contains("are no longer available") { return .deprecated }
        if lowered.contains("under embargo until:") {
            let until = section.textRun(after: "under embargo until:")
            return .embargoed(until: until.hasSuffix(".") ? String(until.dropLast()) : until)
        }
        let accessHeading = section.elements("h5").contains { $0.text.lowercased() == "access the files" }
        if accessHeading || lowered.contains("download the files using your terminal")
            || lowered.contains("total uncompressed size:")
        {
            return .accessible
        }
        if lowered.contains("only available via a research environment") { return .researchEnvironmentOnly }
        let alerts = section.startIndices(of: "div") {
            HTMLScanner.hasClass("alert-danger", $0)
        }.map { section.element(at: $0) }
        if let alert = alerts.first(where: { $0.text.lowercased().contains("restricted-access resource") }) {
            return .restricted(requirements(in: alert, project: project))
        }
        return nil
    }

    /// The tokens between `<h2 id="files">` and the next `<h2>`; the whole page when that heading is missing.
    private static func filesSection(of page: HTMLScanner) -> HTMLScanner {
        guard let heading = page.startIndices(of: "h2", where: { $0["id"] == "files" }).first else { return page }
        let rest = page.suffix(after: heading)
        let headingEnd = rest.tokens.firstIndex(of: .end(name: "h2")).map { $0 + 1 } ?? 0
        let afterHeading = rest.suffix(after: headingEnd - 1)
        guard let next = afterHeading.startIndices(of: "h2").first else { return afterHeading }
        return afterHeading.prefix(upTo: next)
    }

    /// Maps the alert's items by link target (docs/protocol.md §11), keeping first-appearance order.
    static func requirements(in alert: HTMLScanner, project: ProjectVersionRef) -> [AccessRequirement] {
        var order: [String] = []
        var trainingNamed = false
        for link in alert.links {
            let kind: String
            if link.href.contains("/settings/credentialing/") {
                kind = "credentialing"
            } else if link.href.contains("/view-required-training/") || link.href.contains("/settings/training/") {
                kind = "training"
                trainingNamed = trainingNamed || link.href.contains("/view-required-training/")
            } else if link.href.contains("/sign-dua/") {
                kind = "signDUA"
            } else if link.href.contains("/request-access-status/") {
                kind = "contributorRequest"
            } else {
                continue
            }
            if !order.contains(kind) { order.append(kind) }
        }
        return order.map { kind -> AccessRequirement in
            switch kind {
            case "credentialing": return .credentialing
            case "training": return .training(trainingNamed ? trainings(in: alert) : [], project: project)
            case "signDUA": return .signDUA(project: project)
            default: return .contributorRequest(project: project)
            }
        }
    }
}

/// A page did not contain a marker its parser needs.
public struct PageParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was missing, e.g. "access policy badge".
    public let expected: String

    public init(expected: String) {
        self.expected = expected
    }

    public var description: String { "the page has no \(expected)" }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
