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
/// collide with a dataset's own folder, as a `modified/` inside `<version>/` could.
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
}
