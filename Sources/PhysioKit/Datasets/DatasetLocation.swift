import FoundationEssentials

/// Where a dataset version and physio's own state for it live under a data root.
///
/// The dataset folder holds only upstream bytes; physio's inventory, partial files and locks live in
/// `<root>/.physio/`, on the same filesystem so a verified partial file is renamed into place atomically.
public struct DatasetLocation: Sendable {
    public enum Layout: String, Sendable, Codable, CaseIterable {
        /// `<root>/<slug>/<version>/`
        case physio
        /// `<root>/<host>/files/<slug>/<version>/`, what `wget -r` and PyHealth expect.
        case wget
    }

    public let root: URL
    public let slug: String
    public let version: String
    public let layout: Layout
    public let host: String

    /// Folder paths as strings, computed once: per-file paths are built by concatenation, because
    /// Foundation's URL parsing costs microseconds a call and runs for every file of every run.
    public let datasetPath: String
    public let partialPath: String

    public init(root: URL, slug: String, version: String, layout: Layout = .physio, host: String = "physionet.org") {
        self.root = root.standardizedFileURL
        self.slug = slug
        self.version = version
        self.layout = layout
        self.host = host
        let rootPath = self.root.path.hasSuffix("/") ? String(self.root.path.dropLast()) : self.root.path
        switch layout {
        case .physio: datasetPath = "\(rootPath)/\(slug)/\(version)"
        case .wget: datasetPath = "\(rootPath)/\(host)/files/\(slug)/\(version)"
        }
        partialPath = "\(rootPath)/.physio/partial/\(slug)/\(version)"
    }

    public func finalPath(for path: DatasetPath) -> String { "\(datasetPath)/\(path.value)" }
    public func partialPath(for path: DatasetPath) -> String { "\(partialPath)/\(path.value).part" }
    public func partialInfoPath(for path: DatasetPath) -> String { "\(partialPath)/\(path.value).part.json" }

    public var datasetDirectory: URL {
        switch layout {
        case .physio:
            return root.appendingPathComponent(slug, isDirectory: true).appendingPathComponent(version, isDirectory: true)
        case .wget:
            return root.appendingPathComponent(host, isDirectory: true).appendingPathComponent("files", isDirectory: true)
                .appendingPathComponent(slug, isDirectory: true).appendingPathComponent(version, isDirectory: true)
        }
    }

    public var stateDirectory: URL { root.appendingPathComponent(".physio", isDirectory: true) }

    public var partialDirectory: URL {
        stateDirectory.appendingPathComponent("partial", isDirectory: true)
            .appendingPathComponent(slug, isDirectory: true).appendingPathComponent(version, isDirectory: true)
    }

    public var lockFile: URL {
        stateDirectory.appendingPathComponent("locks", isDirectory: true).appendingPathComponent("\(slug)@\(version).lock")
    }

    /// A shard's own lock: shards of one dataset run side by side, each excluding only its own reruns.
    public func lockFile(shard: Shard) -> URL {
        stateDirectory.appendingPathComponent("locks", isDirectory: true)
            .appendingPathComponent("\(slug)@\(version).shard-\(shard.index)-of-\(shard.count).lock")
    }

    public func finalURL(for path: DatasetPath) -> URL {
        datasetDirectory.appendingPathComponent(path.value, isDirectory: false)
    }
}
