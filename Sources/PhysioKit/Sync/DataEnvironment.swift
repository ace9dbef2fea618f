import FoundationEssentials
import TOMLKit

/// What a data root is meant to hold, as declared in `physio.toml`: the root, the server, and one entry per
/// dataset (slug, version or "latest", selection, concurrency, layout). `physio sync` brings the root to it.
public struct DataEnvironment: Sendable, Equatable {
    public static let fileName = "physio.toml"

    /// The version a dataset entry asks for.
    public enum VersionRequirement: Sendable, Equatable, CustomStringConvertible {
        case exact(String)
        /// Resolved from the server on every run.
        case latest

        public var pinned: String? {
            if case .exact(let version) = self { return version }
            return nil
        }

        public var description: String { pinned ?? "latest" }
    }

    public struct Dataset: Sendable, Equatable {
        public var slug: String
        public var version: VersionRequirement
        public var include: [String]
        public var exclude: [String]
        public var jobs: Int?
        public var layout: DatasetLocation.Layout
        /// Where the bytes come from (`fetch --source`).
        public var source: MirrorSource
        /// Where the entry starts in the file, for messages.
        public var line: Int

        public var filter: PathFilter { PathFilter(includes: include, excludes: exclude) }
        /// `slug@version` as the user wrote it (`latest` included), for messages and summaries.
        public var name: String { "\(slug)@\(version)" }
    }

    /// The file this came from.
    public var file: URL
    public var root: URL
    public var baseURL: String?
    public var proxy: String?
    /// The Google Cloud project billed for requester-pays `gs://` sources.
    public var billingProject: String?
    public var datasets: [Dataset]
    /// `retries = N` in [data]: retries of each request, refused connections included (`RetryPolicy.retrying`).
    public var retries: Int? = nil

    /// `physio.toml` in `start` or the nearest folder above it, as Cargo finds `Cargo.toml`.
    public static func find(from start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(fileName, isDirectory: false)
            if FileSystem.exists(candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// Reads `file`; `~` in its paths is `context`'s home folder.
    public static func load(_ file: URL, context: RunContext) throws(PhysioError) -> DataEnvironment {
        let text: String
        do {
            text = String(decoding: try FileSystem.readBytes(atPath: file.path), as: UTF8.self)
        } catch {
            throw .configurationUnreadable(path: file.path, reason: error.reason)
        }
        return try parse(text, file: file, homeDirectory: context.homeDirectory)
    }

    static let dataKeys: Set<String> = ["root", "base-url", "proxy", "billing-project", "retries"]
    static let datasetKeys: Set<String> = ["slug", "version", "include", "exclude", "jobs", "layout", "source"]

    /// Reads `text` (the contents of `file`). Every problem is one usage error naming the file and line.
    public static func parse(_ text: String, file: URL, homeDirectory: String) throws(PhysioError) -> DataEnvironment {
        let lines = ConfigurationLines(text)
        func problem(_ line: Int, _ what: String, _ fix: String) -> PhysioError {
            .configuration(path: file.path, line: line, problem: what, fix: fix)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw problem(error.source.begin.line, "this is not valid TOML (\(error.description))", "Fix the syntax at that line.")
        } catch {
            throw problem(1, "this is not valid TOML", "Fix the syntax.")
        }

        for key in table.keys where key != "data" && key != "dataset" {
            throw problem(
                lines.line(ofKey: key, in: .top), "unknown key '\(key)'",
                "physio.toml has a [data] table and [[dataset]] tables only.")
        }
        let folder = file.deletingLastPathComponent()
        var environment = DataEnvironment(file: file, root: folder, baseURL: nil, proxy: nil, billingProject: nil, datasets: [])

        if let data = table["data"] {
            guard let data = data.table else {
                throw problem(lines.line(ofKey: "data", in: .top), "'data' must be a table", "Write it as [data].")
            }
            for key in data.keys where !dataKeys.contains(key) {
                throw problem(
                    lines.line(ofKey: key, in: .data), "unknown key '\(key)' in [data]",
                    "[data] takes \(dataKeys.sorted().joined(separator: ", ")).")
            }
            func string(_ key: String) throws(PhysioError) -> String? {
                guard let value = data[key] else { return nil }
                guard let text = value.string, !text.isEmpty else {
                    throw problem(lines.line(ofKey: key, in: .data), "'\(key)' must be a non-empty string", "Quote it: \(key) = \"...\".")
                }
                return text
            }
            if let root = try string("root") {
                environment.root = Self.resolve(root, against: folder, homeDirectory: homeDirectory)
            }
            environment.baseURL = try string("base-url")
            environment.proxy = try string("proxy")
            environment.billingProject = try string("billing-project")
            if let value = data["retries"] {
                guard let count = value.int, (0...100).contains(count) else {
                    throw problem(lines.line(ofKey: "retries", in: .data), "retries must be a whole number from 0 to 100", "Write it as retries = 10.")
                }
                environment.retries = count
            }
        }

        if let entries = table["dataset"] {
            guard let array = entries.array else {
                throw problem(lines.line(ofKey: "dataset", in: .top), "'dataset' must be an array of tables", "Write each one as [[dataset]].")
            }
            var seen: [String: Int] = [:]
            for (index, element) in array.enumerated() {
                let section = ConfigurationLines.Section.dataset(index)
                let start = lines.line(ofSection: section)
                guard let entry = element.table else {
                    throw problem(start, "each dataset must be a table", "Write each one as [[dataset]].")
                }
                let dataset = try Self.dataset(entry, start: start, section: section, lines: lines, problem: problem)
                let identity = "\(dataset.slug)@\(dataset.version)"
                if let first = seen[identity] {
                    throw problem(
                        start, "\(identity) is declared twice (first at line \(first))", "Keep one [[dataset]] for it.")
                }
                seen[identity] = start
                environment.datasets.append(dataset)
            }
        }
        return environment
    }

    private static func dataset(
        _ entry: TOMLTable, start: Int, section: ConfigurationLines.Section, lines: ConfigurationLines,
        problem: (Int, String, String) -> PhysioError
    ) throws(PhysioError) -> Dataset {
        func at(_ key: String) -> Int { lines.line(ofKey: key, in: section) }
        for key in entry.keys where !datasetKeys.contains(key) {
            throw problem(at(key), "unknown key '\(key)' in [[dataset]]", "A dataset takes \(datasetKeys.sorted().joined(separator: ", ")).")
        }
        guard let slug = entry["slug"]?.string else {
            throw problem(start, "this dataset has no slug", "Add slug = \"mimiciii-demo\" (the name in the project's URL).")
        }
        guard DatasetSlug.isValid(slug) else {
            throw problem(at("slug"), "'\(slug)' is not a PhysioNet project slug", "Use the name in the project's URL, such as mimic-iv-demo.")
        }
        guard let versionText = entry["version"]?.string else {
            throw problem(
                entry["version"] == nil ? start : at("version"), "\(slug) has no version (as a string)",
                "Add version = \"latest\" or an exact one in quotes, such as version = \"2.2\".")
        }
        let version: VersionRequirement
        if versionText == "latest" {
            version = .latest
        } else if DatasetSlug.isValidVersion(versionText) {
            version = .exact(versionText)
        } else {
            throw problem(at("version"), "'\(versionText)' is not a version", "Write \"latest\" or numbers and dots, such as \"3.1\".")
        }
        func globs(_ key: String) throws(PhysioError) -> [String] {
            guard let value = entry[key] else { return [] }
            guard let array = value.array else {
                throw problem(at(key), "'\(key)' must be a list of globs", "Write \(key) = [\"*.csv.gz\"].")
            }
            var result: [String] = []
            for element in array {
                guard let glob = element.string, !glob.isEmpty else {
                    throw problem(at(key), "'\(key)' must hold non-empty strings", "Write \(key) = [\"*.csv.gz\"].")
                }
                result.append(glob)
            }
            return result
        }
        var jobs: Int?
        if let value = entry["jobs"] {
            guard let count = value.int, (1...8).contains(count) else {
                throw problem(at("jobs"), "jobs must be a whole number from 1 to 8", "PhysioNet times out clients that open more connections.")
            }
            jobs = count
        }
        var layout = DatasetLocation.Layout.physio
        if let value = entry["layout"] {
            guard let name = value.string, let chosen = DatasetLocation.Layout(rawValue: name) else {
                throw problem(at("layout"), "layout must be \"physio\" or \"wget\"", "physio: <root>/<slug>/<version>; wget: <root>/<host>/files/<slug>/<version>.")
            }
            layout = chosen
        }
        var source = MirrorSource.physionet
        if let value = entry["source"] {
            guard let name = value.string, let chosen = MirrorSource(name) else {
                throw problem(at("source"), "source must be physionet, aws-open, auto, s3://BUCKET[/PREFIX] or gs://BUCKET[/PREFIX]", "The list and hashes always come from PhysioNet; a source only supplies bytes.")
            }
            source = chosen
        }
        return Dataset(
            slug: slug, version: version, include: try globs("include"), exclude: try globs("exclude"), jobs: jobs,
            layout: layout, source: source, line: start)
    }

    /// `~/x` is the home folder's; a relative path is the file's folder's, so the file travels with its data.
    static func resolve(_ path: String, against folder: URL, homeDirectory: String) -> URL {
        if path == "~" || path.hasPrefix("~/") {
            return URL(fileURLWithPath: homeDirectory + path.dropFirst(), isDirectory: true).standardizedFileURL
        }
        return URL(fileURLWithPath: path, isDirectory: true, relativeTo: folder).standardizedFileURL
    }

    /// What `physio init` writes: every key, explained, and valid as it stands.
    public static let example = """
        # physio.toml: the PhysioNet data this folder (or [data] root) should hold.
        # `physio sync` brings the root to this state and writes physio.lock; run it from cron or a systemd
        # timer. Credentials never go here: use PHYSIONET_USERNAME/PHYSIONET_PASSWORD, ~/.netrc or `physio login`.

        [data]
        # Where datasets live (default: this file's folder). A relative path is relative to this file.
        # root = "/data/physionet"
        # The server (default: https://physionet.org).
        # base-url = "https://physionet.org"
        # An institutional proxy (default: $HTTPS_PROXY); its password belongs in that variable, not here.
        # proxy = "http://proxy.example.org:3128"
        # The Google Cloud project billed for requester-pays gs:// sources (default: $GOOGLE_CLOUD_PROJECT).
        # billing-project = "my-project"
        # Retries of each request, a server refusing connections included (default: sync keeps trying a
        # refused connection for a minute and anything else 7 times); `physio sync --retries N` overrides it.
        # retries = 10

        # One [[dataset]] table per dataset.
        [[dataset]]
        slug = "mimiciii-demo"
        # An exact version, or "latest" to follow new releases. A credentialed dataset's data use agreement is
        # signed per version, so sync reports a newer version of a pinned one and does not fetch it.
        version = "1.4"

        [[dataset]]
        slug = "mimic-iv-demo"
        version = "latest"
        # Only some files: a glob without '/' matches file names anywhere; with '/' the whole path; a
        # trailing '/' selects a folder.
        # include = ["hosp/", "*.csv.gz"]
        # exclude = ["icu/chartevents.csv.gz"]
        # Parallel transfers (1-8; default 4).
        # jobs = 4
        # Folder layout: "physio" (<root>/<slug>/<version>) or "wget" (<root>/<host>/files/<slug>/<version>).
        # layout = "physio"
        # Where the bytes come from: "physionet" (default), "aws-open", "auto", "s3://BUCKET/PREFIX" or
        # "gs://BUCKET" (then set billing-project in [data]). Every file is still verified against PhysioNet's list.
        # source = "aws-open"

        """
}
