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
            #expect(error.kind == .unsafeChecksumEntry, "wrong error \(error)")
            #expect(error.facts["line"] == "1")
        }
    }

    @Test("malformed lines are reported with their line number")
    func reportsMalformedLines() {
        do {
            _ = try ChecksumList(parsing: "\(digest) a.txt\nnot-a-digest b.txt and more text to be long enough for the check here\n")
            Issue.record("accepted a malformed line")
        } catch {
            #expect(error.kind == .malformedChecksumList, "wrong error \(error)")
            #expect(error.facts["line"] == "2")
        }
    }

    /// Lines of a list over 1 MiB (parsed in two halves): "p<5 digits>/s<n>/file.dat", in path order.
    func largeList(lines count: Int) -> [String] {
        (0..<count).map { "\(digest) p\(String(100_000 + $0).dropFirst())/s\($0 % 7)/file.dat" }
    }

    @Test("a list over 1 MiB is read in two halves into the same files, in the same order")
    func parsesLargeListsInHalves() throws {
        let lines = largeList(lines: 20_000)
        let bytes = Array((lines.joined(separator: "\r\n") + "\n").utf8)
        #expect(bytes.count > 1 << 20)
        let list = try ChecksumList(parsing: bytes)
        #expect(list.entries.count == lines.count)
        #expect(list.entries.map(\.path.value) == lines.map { String($0.dropFirst(65)) })
        #expect(list.entries.allSatisfy { $0.digest.hex == digest })
    }

    @Test("a large list's errors name the line, in either half", arguments: [3, 19_990])
    func reportsLinesOfLargeLists(badLine: Int) {
        var lines = largeList(lines: 20_000)
        lines[badLine - 1] = "zz" + lines[badLine - 1].dropFirst(2)
        do {
            _ = try ChecksumList(parsing: lines.joined(separator: "\n") + "\n")
            Issue.record("accepted a malformed line")
        } catch {
            #expect(error.kind == .malformedChecksumList, "wrong error \(error)")
            #expect(error.facts["line"] == String(badLine))
        }
    }

    @Test("a large list out of order is accepted, and a path repeated across its halves is refused")
    func largeUnsortedLists() throws {
        var lines = largeList(lines: 20_000)
        lines.swapAt(10, 15_000)
        #expect(try ChecksumList(parsing: lines.joined(separator: "\n")).entries.count == lines.count)
        lines[15_001] = lines[10]
        do {
            _ = try ChecksumList(parsing: lines.joined(separator: "\n"))
            Issue.record("accepted a repeated path")
        } catch {
            #expect(error.kind == .malformedChecksumList, "wrong error \(error)")
            #expect(error.facts["line"] == "15002")
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
