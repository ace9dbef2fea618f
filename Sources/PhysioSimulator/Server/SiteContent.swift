import Foundation
import Synchronization

/// The published projects and their file trees, which a test may change while the server runs (a new version, a
/// replaced, added or removed file), as editors change the real site under a running `physio sync`.
///
/// A reader takes the current value under a short lock. A change builds its new tree outside that lock (hashing a
/// version for its manifest takes a while) and swaps it in; changes are serialised among themselves, so two changes
/// to one version cannot lose one another.
final class SiteContent: Sendable {
    private struct State: Sendable {
        var fixture: SimulatorFixture
        /// File trees by `slug/version`.
        var trees: [String: VersionFileTree]
    }

    private let state: Mutex<State>
    /// Held for the whole of a change, never by a reader.
    private let changes = Mutex(())

    init(fixture: SimulatorFixture) throws {
        var trees: [String: VersionFileTree] = [:]
        for project in fixture.projects {
            for version in project.versions {
                trees[Self.key(project.slug, version.version)] = try VersionFileTree(
                    slug: project.slug, version: version, baseDirectory: fixture.baseDirectory)
            }
        }
        state = Mutex(State(fixture: fixture, trees: trees))
    }

    var fixture: SimulatorFixture {
        state.withLock { $0.fixture }
    }

    func tree(slug: String, version: String) -> VersionFileTree? {
        let key = Self.key(slug, version)
        return state.withLock { $0.trees[key] }
    }

    // MARK: Changes

    /// Adds `version` to the project `slug`. "Latest" follows by itself: the redirect, the page markers and the
    /// API compute it from the versions (docs/protocol.md §10).
    func publish(slug: String, version: FixtureVersion) throws {
        try changes.withLock { _ in
            let current = fixture
            guard let project = current.project(slug: slug) else {
                throw SimulatorServer.ChangeError(description: "no project \(slug) to publish version \(version.version) of")
            }
            guard project.version(version.version) == nil else {
                throw SimulatorServer.ChangeError(
                    description: "\(slug) \(version.version) is already published; change its files instead")
            }
            let tree = try VersionFileTree(slug: slug, version: version, baseDirectory: current.baseDirectory)
            let key = Self.key(slug, version.version)
            state.withLock { content in
                guard let index = content.fixture.projects.firstIndex(where: { $0.slug == slug }) else { return }
                content.fixture.projects[index].versions.append(version)
                content.trees[key] = tree
            }
        }
    }

    /// Gives `path` new content (a new file when the path is new); the manifest follows.
    func replaceFile(slug: String, version: String, path: String, with bytes: [UInt8]) throws {
        try change(slug: slug, version: version) { tree, now in
            try Self.checkFilePath(path, in: tree)
            return try tree.replacing(path, with: bytes, at: now)
        }
    }

    /// Removes the file at `path`; the manifest follows.
    func removeFile(slug: String, version: String, path: String) throws {
        try change(slug: slug, version: version) { tree, now in
            guard tree.files[path] != nil else {
                throw SimulatorServer.ChangeError(description: "\(slug) \(version) has no file \(path)")
            }
            return try tree.removing(path, at: now)
        }
    }

    /// Builds the next tree of one version from its current one and swaps it in.
    private func change(
        slug: String, version: String, _ build: (VersionFileTree, Date) throws -> VersionFileTree
    ) throws {
        try changes.withLock { _ in
            guard let current = tree(slug: slug, version: version) else {
                throw SimulatorServer.ChangeError(description: "no published version \(slug) \(version)")
            }
            let changed = try build(current, Date())
            let key = Self.key(slug, version)
            state.withLock { $0.trees[key] = changed }
        }
    }

    /// A path the tree can hold as a file: relative, no empty, `.` or `..` segment (the routes could never name
    /// it), not a folder, and not below a file.
    private static func checkFilePath(_ path: String, in tree: VersionFileTree) throws {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw SimulatorServer.ChangeError(description: "not a relative file path: \"\(path)\"")
        }
        guard !tree.directories.contains(path) else {
            throw SimulatorServer.ChangeError(description: "\(path) is a folder of \(tree.slug) \(tree.version)")
        }
        for end in 1..<segments.count {
            let parent = segments[..<end].joined(separator: "/")
            if tree.files[parent] != nil {
                throw SimulatorServer.ChangeError(description: "\(parent) is a file of \(tree.slug) \(tree.version)")
            }
        }
    }

    private static func key(_ slug: String, _ version: String) -> String {
        "\(slug)/\(version)"
    }
}
