import Foundation
import Testing
@testable import PhysioKit

@Suite("physio.toml, physio.lock and the connection budget")
struct DataEnvironmentTests {
    static let file = URL(fileURLWithPath: "/srv/data/physio.toml")

    static func parse(_ text: String) throws(PhysioError) -> DataEnvironment {
        try DataEnvironment.parse(text, file: file, homeDirectory: "/home/someone")
    }

    /// The usage error `text` gives, with its line.
    static func failure(_ text: String) -> PhysioError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("the example physio init writes is valid and names two demos")
    func exampleParses() throws {
        let environment = try Self.parse(DataEnvironment.example)
        #expect(environment.root.path == "/srv/data")
        #expect(environment.datasets.map(\.name) == ["mimiciii-demo@1.4", "mimic-iv-demo@latest"])
        #expect(environment.datasets[0].line == 19)
        #expect(environment.retries == nil, "the example only explains retries, in a comment")
    }

    @Test("every key is read: root (relative to the file), base-url, proxy, and each dataset's fields")
    func everyKey() throws {
        let environment = try Self.parse("""
            [data]
            root = "physionet"
            base-url = "https://physionet.org"
            proxy = "http://proxy:3128"

            [[dataset]]
            slug = "mimiciv"
            version = "3.1"
            include = ["hosp/", "*.csv.gz"]
            exclude = ["icu/chartevents.csv.gz"]
            jobs = 2
            layout = "wget"
            """)
        #expect(environment.root.path == "/srv/data/physionet")
        #expect(environment.baseURL == "https://physionet.org" && environment.proxy == "http://proxy:3128")
        let dataset = try #require(environment.datasets.first)
        #expect(dataset.version == .exact("3.1") && dataset.jobs == 2 && dataset.layout == .wget)
        #expect(dataset.include == ["hosp/", "*.csv.gz"] && dataset.exclude == ["icu/chartevents.csv.gz"])
        #expect(dataset.filter.accepts(try DatasetPath(validating: "hosp/admissions.csv.gz")))
        #expect(!dataset.filter.accepts(try DatasetPath(validating: "icu/chartevents.csv.gz")))
    }

    @Test("mistakes are usage errors (exit 2) naming the file, the line and the fix", arguments: [
        ("[[dataset]]\nslug = \"a\"\nverison = \"1.0\"\n", 3, "unknown key 'verison'"),
        ("[data]\nroot = \"/x\"\nmirror = \"s3\"\n", 3, "unknown key 'mirror' in [data]"),
        ("colour = \"blue\"\n", 1, "unknown key 'colour'"),
        ("[[dataset]]\nslug = \"a\"\nversion = \"v1\"\n", 3, "'v1' is not a version"),
        ("[[dataset]]\nslug = \"a\"\nversion = 1.4\n", 3, "no version (as a string)"),
        ("[[dataset]]\nslug = \"a\"\n", 1, "has no version"),
        ("[[dataset]]\nversion = \"1.0\"\n", 1, "has no slug"),
        ("[[dataset]]\nslug = \"a/b\"\nversion = \"1.0\"\n", 2, "not a PhysioNet project slug"),
        ("[[dataset]]\nslug = \"a\"\nversion = \"1.0\"\n\n[[dataset]]\nslug = \"a\"\nversion = \"1.0\"\n", 5, "a@1.0 is declared twice (first at line 1)"),
        ("[[dataset]]\nslug = \"a\"\nversion = \"1.0\"\njobs = 20\n", 4, "jobs must be a whole number from 1 to 8"),
        ("[[dataset]]\nslug = \"a\"\nversion = \"1.0\"\nlayout = \"flat\"\n", 4, "layout must be"),
        ("[[dataset]]\nslug = \"a\"\nversion = \"1.0\"\ninclude = \"*.csv\"\n", 4, "'include' must be a list"),
        ("[dataset]\nslug = \"a\"\n", 1, "'dataset' must be an array of tables"),
        ("[[dataset]]\nslug = \"a\"\nversion = \"1.0\n", 3, "not valid TOML"),
    ])
    func mistakes(text: String, line: Int, problem: String) throws {
        let error = try #require(Self.failure(text))
        #expect(error.exitCode == .usage)
        #expect(error.message.hasPrefix("/srv/data/physio.toml line \(line): "), "\(error.message)")
        #expect(error.message.contains(problem), "\(error.message)")
        #expect(!error.message.contains("\n"))
    }

    @Test("the same slug at two versions is two datasets, not a duplicate")
    func twoVersions() throws {
        let environment = try Self.parse("[[dataset]]\nslug = \"mimiciv\"\nversion = \"3.0\"\n[[dataset]]\nslug = \"mimiciv\"\nversion = \"3.1\"\n")
        #expect(environment.datasets.map(\.name) == ["mimiciv@3.0", "mimiciv@3.1"])
    }

    @Test("physio.toml is found in the folder or the nearest one above it")
    func findsUpwards() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("physio-env-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let deep = root.appendingPathComponent("a/b/c", isDirectory: true)
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        #expect(DataEnvironment.find(from: deep) == nil || DataEnvironment.find(from: deep)?.path.hasPrefix(root.path) == false)
        try Data(DataEnvironment.example.utf8).write(to: root.appendingPathComponent("a/physio.toml"))
        #expect(DataEnvironment.find(from: deep)?.path == root.appendingPathComponent("a/physio.toml").path)
    }

    static func entry(_ slug: String, requested: String = "latest", version: String = "1.0", list: String = String(repeating: "a", count: 64), at time: String = "2026-01-01T00:00:00Z") -> DataLock.Entry {
        DataLock.Entry(
            slug: slug, requested: requested, version: version, listSHA256: list, include: ["hosp/"], exclude: ["a \"quoted\" \\ glob"],
            files: 3, bytes: 1234, source: "https://physionet.org/files/\(slug)/\(version)/", syncedAt: time)
    }

    @Test("physio.lock round-trips, sorted and stable; an unchanged entry keeps its time")
    func lockRoundTrip() throws {
        let lock = DataLock(entries: [Self.entry("zeta"), Self.entry("alpha", requested: "2.2", version: "2.2")])
        let text = lock.rendered()
        #expect(text.range(of: "slug = \"alpha\"")!.lowerBound < text.range(of: "slug = \"zeta\"")!.lowerBound)
        let parsed = try DataLock.parse(text, path: "physio.lock")
        #expect(Set(parsed.entries.map(\.slug)) == ["alpha", "zeta"])
        #expect(parsed.entry(slug: "zeta", requested: "latest") == Self.entry("zeta"))
        #expect(parsed.rendered() == text, "rendering is a fixed point")

        let again = parsed.updating(Self.entry("zeta", at: "2026-06-01T00:00:00Z"))
        #expect(again.rendered() == text, "nothing changed, so the old time stays and the file is the same")
        let moved = parsed.updating(Self.entry("zeta", version: "1.1", at: "2026-06-01T00:00:00Z"))
        #expect(moved.entry(slug: "zeta", requested: "latest")?.syncedAt == "2026-06-01T00:00:00Z")
    }

    @Test("a lock from a newer physio, or a broken one, is a clear error")
    func brokenLock() {
        #expect(throws: PhysioError.self) { try DataLock.parse("lock-version = 99\n", path: "physio.lock") }
        #expect(throws: PhysioError.self) { try DataLock.parse("lock-version = 1\n[[dataset]]\nslug = \"a\"\n", path: "physio.lock") }
        #expect(throws: PhysioError.self) { try DataLock.parse("[[", path: "physio.lock") }
    }

    @Test("version order is numeric")
    func versionOrder() {
        #expect(DatasetSlug.isVersion("3.10", newerThan: "3.9"))
        #expect(DatasetSlug.isVersion("1.0.1", newerThan: "1.0"))
        #expect(!DatasetSlug.isVersion("2.2", newerThan: "2.2"))
        #expect(!DatasetSlug.isVersion("0.9", newerThan: "1.4"))
    }

    @Test("connection slots: budgets share the cap, wait for a free slot, and a closed budget frees its slots")
    func connectionBudget() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("physio-budget-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let site = try PhysioNetSite.validate(baseURL: URL(string: "http://127.0.0.1:9")!, allowInsecureHTTP: false)
        var first: ConnectionBudget? = try ConnectionBudget.acquire(for: site, wanted: 5, cap: 8, stateDirectory: state)
        let second = try ConnectionBudget.acquire(for: site, wanted: 5, cap: 8, stateDirectory: state)
        #expect(first?.granted == 5 && second.granted == 3)
        let mode = try FileManager.default.attributesOfItem(atPath: ConnectionBudget.file(for: site, stateDirectory: state).path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A third finds every slot held: it says so, then waits until the first lets go.
        let waiting = AsyncStream<Void>.makeStream()
        let third = Task {
            try await BlockingIO.run { () throws in
                try ConnectionBudget.acquire(for: site, wanted: 2, cap: 8, stateDirectory: state) { _ in waiting.continuation.yield() }
            }
        }
        var announcements = waiting.stream.makeAsyncIterator()
        await announcements.next()
        first = nil
        let granted = try await third.value.granted
        #expect(granted == 2)
        withExtendedLifetime(first) {}
        withExtendedLifetime(second) {}
    }
}
