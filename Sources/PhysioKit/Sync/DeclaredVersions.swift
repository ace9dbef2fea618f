import FoundationEssentials

/// The dataset versions a data root is meant to hold by its `physio.toml`: each pinned version, and each
/// version physio.lock resolved (what `latest` stood for at the last sync). A version the root still
/// declares is never an "old version", whatever newer one lies beside it: `physio list` does not call it
/// old and `physio prune --old-versions` leaves it.
///
/// The files read are those that can speak for the root: the physio.toml of its last sync (named in
/// `.physio/last-sync.json`) and the one found from the working folder upwards, each only when its root is
/// this root.
public struct DeclaredVersions: Sendable, Equatable {
    /// `slug@version`.
    public var versions: Set<String> = []
    /// The physio.toml files read.
    public var files: [String] = []

    public init() {}

    public func declares(slug: String, version: String) -> Bool {
        versions.contains("\(slug)@\(version)")
    }

    /// `strict`: a physio.toml or physio.lock that cannot be read is an error (prune must not guess what
    /// is declared); otherwise it is passed over (list only marks versions).
    public static func find(root: URL, context: RunContext, strict: Bool) throws(PhysioError) -> DeclaredVersions {
        let root = root.standardizedFileURL
        var candidates: [URL] = []
        if let bytes = try? FileSystem.readAll(SyncEngine.lastSyncFile(root: root)),
            let last = try? PhysioJSON.decoder().decode(LastSync.self, from: Data(bytes))
        {
            let file = URL(fileURLWithPath: last.file).standardizedFileURL
            if FileSystem.exists(file) { candidates.append(file) }
        }
        if let found = DataEnvironment.find(from: URL(fileURLWithPath: context.workingDirectory, isDirectory: true)),
            !candidates.contains(found.standardizedFileURL)
        {
            candidates.append(found.standardizedFileURL)
        }
        var declared = DeclaredVersions()
        for file in candidates {
            let environment: DataEnvironment
            let lock: DataLock?
            do throws(PhysioError) {
                environment = try DataEnvironment.load(file, context: context)
                lock = try DataLock.load(beside: file)
            } catch {
                if strict { throw error }
                continue
            }
            guard environment.root.standardizedFileURL.path == root.path else { continue }
            declared.files.append(file.path)
            for dataset in environment.datasets {
                if let pinned = dataset.version.pinned { declared.versions.insert("\(dataset.slug)@\(pinned)") }
                if let entry = lock?.entry(slug: dataset.slug, requested: dataset.version.description) {
                    declared.versions.insert("\(entry.slug)@\(entry.version)")
                }
            }
        }
        return declared
    }

    /// The one field of `last-sync.json` needed here.
    private struct LastSync: Decodable {
        var file: String
    }
}
