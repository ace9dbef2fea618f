import FoundationEssentials

/// `<root>/.physio/removed/`: where physio keeps the bytes it takes out of a dataset folder, so that nothing
/// is lost silently. One folder per day (UTC) something was put there, then one per dataset version:
///
/// - `<day>/<slug>/<version>/<path>`: files the server's list (or a sync's selection) no longer names, and
///   the previous bytes of files the server replaced;
/// - `<day>/<slug>/<version>.modified/<path>`: local copies that were not the bytes physio verified (edited
///   after verification, or never recorded), kept when a fetch replaced them or a prune took their version.
///
/// A version folder with a suffix cannot be mistaken for a version (PhysioNet's are digits and dots) nor
/// collide with a dataset's own folder, as a `modified/` inside `<version>/` could. `physio prune` removes
/// whole `<day>/<slug>/<version…>` entries by their day; `physio list` totals them.
public enum RemovedArea {
    static let modifiedSuffix = ".modified"

    public static func folder(root: URL) -> URL {
        root.appendingPathComponent(".physio/removed", isDirectory: true)
    }

    /// `YYYY-MM-DD` of `date` in UTC: the name of that day's folder.
    static func day(_ date: Date) -> String {
        String(ISODate.format(date).prefix(10))
    }

    /// Where files leaving `slug`@`version` on the day of `now` go: `<day>/<slug>/<version>`, or its
    /// `.modified` sibling for local copies that were not what physio verified.
    static func versionFolder(root: URL, slug: String, version: String, modified: Bool = false, now: Date = Date()) -> URL {
        folder(root: root).appendingPathComponent(
            "\(day(now))/\(slug)/\(version)\(modified ? modifiedSuffix : "")", isDirectory: true)
    }

    /// The `.modified` sibling of a version folder made by `versionFolder`.
    static func modifiedFolder(besides versionFolder: URL) -> URL {
        URL(fileURLWithPath: versionFolder.path + modifiedSuffix, isDirectory: true)
    }

    /// A free name for `path` under `folder`, its parent folders made: the path itself, or `<path>.1`,
    /// `<path>.2`, … when an earlier removal of the same path on the same day is there already (both kept).
    static func freeDestination(for path: DatasetPath, in folder: URL) throws(PhysioError) -> String {
        let wanted = folder.path + "/" + path.value
        try FileSystem.createDirectory(atPath: FileSystem.parent(ofPath: wanted))
        var destination = wanted
        var attempt = 1
        while FileSystem.lexists(atPath: destination) {
            destination = wanted + ".\(attempt)"
            attempt += 1
        }
        return destination
    }

    /// One `<day>/<slug>/<version…>` folder: the unit `physio prune` removes.
    public struct Entry: Codable, Sendable, Equatable {
        /// `YYYY-MM-DD`, UTC: the day its files were put there.
        public var day: String
        public var slug: String
        public var version: String
        /// Local copies that were not what physio verified (`<version>.modified`).
        public var modified: Bool
        public var path: String
        public var files: Int
        public var bytes: Int64
    }

    /// Every entry under `root`'s removed area, oldest day first, with its regular files counted and summed
    /// (symbolic links are never followed). Folders that do not follow the layout are left out: physio
    /// neither counts nor removes what it did not put there.
    public static func entries(root: URL) -> [Entry] {
        let base = folder(root: root).path
        var entries: [Entry] = []
        for day in FileTree.folders(in: base).sorted() where date(ofDay: day) != nil {
            for slug in FileTree.folders(in: base + "/" + day).sorted() where DatasetSlug.isValid(slug) {
                for name in FileTree.folders(in: "\(base)/\(day)/\(slug)").sorted() {
                    let modified = name.hasSuffix(modifiedSuffix) && name.count > modifiedSuffix.count
                    let version = modified ? String(name.dropLast(modifiedSuffix.count)) : name
                    guard DatasetSlug.isValidVersion(version) else { continue }
                    let path = "\(base)/\(day)/\(slug)/\(name)"
                    let totals = FileTree.totals(atPath: path)
                    entries.append(Entry(
                        day: day, slug: slug, version: version, modified: modified, path: path, files: totals.files,
                        bytes: totals.bytes))
                }
            }
        }
        return entries
    }

    /// The start (00:00 UTC) of a day folder's day; `nil` for a name that is not `YYYY-MM-DD`.
    static func date(ofDay name: String) -> Date? {
        guard name.utf8.count == 10, let date = ISODate.parse(name + "T00:00:00Z"), day(date) == name else { return nil }
        return date
    }
}
