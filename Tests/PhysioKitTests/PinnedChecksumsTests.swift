import Foundation
import Testing
@testable import PhysioKit

@Suite("Pinned checksums compiled into physio")
struct PinnedChecksumsTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("every checksums/<slug>/<version>/SHA256SUMS.txt is embedded byte for byte (run scripts/generate-pins.py)")
    func embeddedCopiesMatchTheFolder() throws {
        let folder = Self.repositoryRoot.appendingPathComponent("checksums")
        var found: [String] = []
        for slug in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for version in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(slug).path) {
                let file = folder.appendingPathComponent("\(slug)/\(version)/SHA256SUMS.txt")
                let text = try String(contentsOf: file, encoding: .utf8)
                #expect(PinnedChecksums.text(slug: slug, version: version).map { $0 + "\n" } == text, "\(slug)@\(version)")
                found.append("\(slug)@\(version)")
            }
        }
        #expect(found.sorted() == PinnedChecksums.pinnedVersions)
    }

    @Test("the genuine demo lists parse with their real line counts")
    func genuineListsParse() throws {
        #expect(PinnedChecksums.list(slug: "mimiciii-demo", version: "1.4")?.entries.count == 27)
        #expect(PinnedChecksums.list(slug: "mimic-iv-demo", version: "2.2")?.entries.count == 34)
        #expect(PinnedChecksums.list(slug: "mimiciii-demo", version: "9.9") == nil)
    }
}
