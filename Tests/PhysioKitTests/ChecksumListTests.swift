import Testing
@testable import PhysioKit

@Suite("SHA256SUMS.txt parsing")
struct ChecksumListTests {
    let digest = String(repeating: "ab", count: 32)

    @Test("PhysioNet's one-space format, GNU two-space and binary forms, CRLF")
    func acceptsEveryCommonForm() throws {
        let text = "\(digest) LICENSE.txt\n\(digest)  hosp/admissions.csv.gz\r\n\(digest) *icu/icustays.csv.gz\n\n"
        let list = try ChecksumList(parsing: text)
        #expect(list.entries.map(\.path.value) == ["LICENSE.txt", "hosp/admissions.csv.gz", "icu/icustays.csv.gz"])
        #expect(list.entries.allSatisfy { $0.digest.hex == digest })
    }

    @Test("paths keep inner spaces and non-ASCII characters")
    func keepsSpacesAndUnicode() throws {
        let list = try ChecksumList(parsing: "\(digest) notes/patient file é.txt\n")
        #expect(list.entries.first?.path.value == "notes/patient file é.txt")
    }

    @Test("upper-case digests are accepted and normalised")
    func normalisesDigestCase() throws {
        let list = try ChecksumList(parsing: "\(digest.uppercased()) a.csv\n")
        #expect(list.entries.first?.digest.hex == digest)
    }

    @Test(
        "unsafe paths reject the whole list",
        arguments: ["/etc/passwd", "../escape.txt", "a/../../b", "a\\b.txt", "a//b", "./a", "a/./b", "bad\u{0}name"])
    func refusesUnsafePaths(_ path: String) {
        #expect(throws: PhysioError.self) { try ChecksumList(parsing: "\(digest) ok.txt\n\(digest) \(path)\n") }
        do {
            _ = try ChecksumList(parsing: "\(digest) \(path)\n")
            Issue.record("accepted \(path)")
        } catch {
            #expect(error.exitCode == .localFilesystem)
            #expect(error.kind == "unsafeChecksumEntry", "wrong error \(error)")
            #expect(error.facts["line"] == "1")
        }
    }

    @Test("malformed lines are reported with their line number")
    func reportsMalformedLines() {
        do {
            _ = try ChecksumList(parsing: "\(digest) a.txt\nnot-a-digest b.txt and more text to be long enough for the check here\n")
            Issue.record("accepted a malformed line")
        } catch {
            #expect(error.kind == "malformedChecksumList", "wrong error \(error)")
            #expect(error.facts["line"] == "2")
        }
    }

    @Test("duplicate entries are refused")
    func refusesDuplicates() {
        #expect(throws: PhysioError.self) { try ChecksumList(parsing: "\(digest) a.txt\n\(digest) a.txt\n") }
    }

    @Test("differences name added, removed and changed entries")
    func reportsDifferences() throws {
        let other = String(repeating: "cd", count: 32)
        let pinned = try ChecksumList(parsing: "\(digest) same.txt\n\(digest) changed.txt\n\(digest) gone.txt\n")
        let server = try ChecksumList(parsing: "\(digest) same.txt\n\(other) changed.txt\n\(digest) new.txt\n")
        let differences = server.differences(from: pinned)
        #expect(differences.count == 3)
        #expect(differences.contains { $0.hasPrefix("changed.txt has SHA-256") })
        #expect(differences.contains { $0 == "gone.txt is pinned but missing from the server's list" })
        #expect(differences.contains { $0 == "new.txt is listed by the server but not pinned" })
        #expect(server.differences(from: server).isEmpty)
    }
}
