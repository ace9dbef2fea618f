import Foundation
import PhysioKit

/// The files of one published version, resolved from the fixture: real folder or generated content, plus the
/// `SHA256SUMS.txt` the fixture asks for.
///
/// An immutable value: a change made while the server runs (`replacing`, `removing`) is a new tree, which the site
/// swaps in whole, so a request keeps answering from the tree it started with.
struct VersionFileTree: Sendable {
    static let manifestName = "SHA256SUMS.txt"

    let slug: String
    let version: String
    /// The publication time: the date of the version's folders, and of every file not changed since.
    let modified: Date
    /// 0 as published, one more after each change, so that a cache of a whole-version answer (the ZIP) can tell
    /// the tree it was built from.
    let revision: Int
    /// The time of the latest change: `modified` until one is made, then later with each one (a removal too), so
    /// that a whole-version answer (the ZIP) gets new validators.
    let lastChange: Date
    /// Every regular file by its relative path.
    let files: [String: VersionFile]
    /// Every directory by relative path, `""` being the version root.
    let directories: Set<String>

    init(slug: String, version: FixtureVersion, baseDirectory: URL?) throws {
        let modified = version.publishedDate
        var files: [String: VersionFile] = [:]
        if let folder = version.files.folder {
            let root = URL(fileURLWithPath: folder, relativeTo: baseDirectory).standardizedFileURL
            for (path, url) in try Self.walk(root) {
                let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
                files[path] = VersionFile(path: path, size: size, modified: modified, source: .disk(url))
            }
        } else if let generated = version.files.generated {
            for file in generated.files {
                let seed = GeneratedContent.seed(base: generated.seed, path: file.path)
                files[file.path] = VersionFile(path: file.path, size: file.size, modified: modified, source: .generated(seed: seed))
            }
        }
        switch version.sha256sums {
        case .serveFromFolder where version.files.folder != nil:
            break
        case .absent:
            files[Self.manifestName] = nil
        case .generate, .serveFromFolder:
            files[Self.manifestName] = nil
            let manifest = try Self.generateManifest(files.values)
            files[Self.manifestName] = VersionFile(
                path: Self.manifestName, size: Int64(manifest.count), modified: modified, source: .memory(manifest))
        }
        self.init(slug: slug, version: version.version, modified: modified, revision: 0, lastChange: modified, files: files)
    }

    private init(slug: String, version: String, modified: Date, revision: Int, lastChange: Date, files: [String: VersionFile]) {
        self.slug = slug
        self.version = version
        self.modified = modified
        self.revision = revision
        self.lastChange = lastChange
        self.files = files
        // Folders exist only as the parents of files: removing a folder's last file removes the folder.
        var directories: Set<String> = [""]
        for path in files.keys {
            var components = path.split(separator: "/").dropLast()
            while !components.isEmpty {
                directories.insert(components.joined(separator: "/"))
                components = components.dropLast()
            }
        }
        self.directories = directories
    }

    // MARK: Changes

    /// This tree with `path` holding `bytes` (a new file when the path is new), modified at `now`, and the
    /// manifest regenerated.
    func replacing(_ path: String, with bytes: [UInt8], at now: Date) throws -> VersionFileTree {
        var changed = files
        changed[path] = VersionFile(
            path: path, size: Int64(bytes.count), modified: Self.changeTime(after: files[path]?.modified, now: now),
            source: .memory(bytes))
        return try rebuilt(changed, changing: path, at: now)
    }

    /// This tree without the file at `path`, and the manifest regenerated.
    func removing(_ path: String, at now: Date) throws -> VersionFileTree {
        var changed = files
        changed[path] = nil
        return try rebuilt(changed, changing: path, at: now)
    }

    /// The next revision with `changed` as its files. A version that has a manifest gets it regenerated in the
    /// generator's format (a folder's own manifest too), modified at `now` so a conditional request for it is
    /// answered in full; a version without one (`sha256sums: absent`) still has none; a change to the manifest
    /// itself is kept as given.
    private func rebuilt(_ changed: [String: VersionFile], changing path: String, at now: Date) throws -> VersionFileTree {
        var changed = changed
        if path != Self.manifestName, let manifest = changed[Self.manifestName] {
            let text = try Self.generateManifest(changed.values)
            changed[Self.manifestName] = VersionFile(
                path: Self.manifestName, size: Int64(text.count), modified: Self.changeTime(after: manifest.modified, now: now),
                source: .memory(text))
        }
        return VersionFileTree(
            slug: slug, version: version, modified: modified, revision: revision + 1,
            lastChange: Self.changeTime(after: lastChange, now: now), files: changed)
    }

    /// `now` in whole seconds, and at least a second after `previous`: ETag and Last-Modified carry whole seconds,
    /// so two changes within one second (same size, other bytes, as a changed digest line is) would otherwise keep
    /// the validators and be answered 304.
    static func changeTime(after previous: Date?, now: Date) -> Date {
        let seconds = now.timeIntervalSince1970.rounded(.down)
        guard let previous else { return Date(timeIntervalSince1970: seconds) }
        return Date(timeIntervalSince1970: max(seconds, previous.timeIntervalSince1970.rounded(.down) + 1))
    }

    /// Immediate children of `directory` (`""` = root): subdirectory names and files, each byte-sorted.
    func children(of directory: String) -> (directories: [String], files: [VersionFile]) {
        let prefix = directory.isEmpty ? "" : directory + "/"
        var subdirectories: [String] = []
        for candidate in directories where !candidate.isEmpty && candidate.hasPrefix(prefix) {
            let rest = candidate.dropFirst(prefix.count)
            if !rest.contains("/") { subdirectories.append(String(rest)) }
        }
        var direct: [VersionFile] = []
        for (path, file) in files where path.hasPrefix(prefix) && !path.dropFirst(prefix.count).contains("/") {
            direct.append(file)
        }
        return (
            subdirectories.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
            direct.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        )
    }

    /// Total bytes of every file, the API's `main_storage_size`.
    var totalSize: Int64 { files.values.reduce(0) { $0 + $1.size } }

    /// Files in the order the ZIP and manifest use: byte order of the path.
    var sortedFiles: [VersionFile] {
        files.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// PhysioNet's manifest: `<64 hex><one space><path>\n`, byte-sorted, not listing itself (docs/protocol.md §9).
    static func generateManifest(_ files: some Sequence<VersionFile>) throws -> [UInt8] {
        let ordered = files.filter { $0.path != manifestName }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        var text = ""
        for file in ordered {
            let hasher = SHA256Hasher()
            var offset: Int64 = 0
            while offset < file.size {
                let chunk = try FileContentReader.read(file, offset: offset, count: 1 << 20)
                hasher.update(chunk)
                offset += Int64(chunk.count)
                if chunk.isEmpty { break }
            }
            text += "\(hasher.finalize().hex) \(file.path)\n"
        }
        return Array(text.utf8)
    }

    /// Regular files below `root` (symlinks skipped, as the manifest generator does), by relative path.
    private static func walk(_ root: URL) throws -> [(String, URL)] {
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey])
        else { return [] }
        var found: [(String, URL)] = []
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values.isRegularFile == true, values.isSymbolicLink != true else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(rootPath) else { continue }
            found.append((String(full.dropFirst(rootPath.count)), url))
        }
        return found
    }
}
