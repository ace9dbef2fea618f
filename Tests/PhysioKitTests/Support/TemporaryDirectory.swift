import Foundation

/// A fresh directory under the system temporary directory, removed when the value is deinitialised.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "physio-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// Writes `text` to `name` and sets exactly `mode` (regardless of the umask); returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String, mode: mode_t) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        guard chmod(file, mode) == 0 else { throw CocoaError(.fileWriteNoPermission) }
        return file
    }

    /// Permission bits of `path` via stat(2).
    static func mode(of path: String) -> UInt16? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt16(info.st_mode & 0o7777)
    }
}
