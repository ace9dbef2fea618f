import FoundationEssentials
import Synchronization

/// Folders already known to exist during one run, so creating a file's parent costs a set lookup rather
/// than a `stat` per file (20,000 files in 2,000 folders otherwise pay 40,000 system calls).
public final class DirectoryCache: Sendable {
    private let known = Mutex<Set<String>>([])

    public init() {}

    public func ensure(path: String) throws(PhysioError) {
        if known.withLock({ $0.contains(path) }) { return }
        try FileSystem.createDirectory(atPath: path)
        known.withLock { _ = $0.insert(path) }
    }

    /// Ensures the folder that will hold the file at `path`.
    public func ensureParent(ofPath path: String) throws(PhysioError) {
        try ensure(path: FileSystem.parent(ofPath: path))
    }
}
