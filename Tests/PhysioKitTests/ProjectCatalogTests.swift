import Testing

@testable import PhysioKit

@Suite("ProjectCatalog: the closest published slugs")
struct ProjectCatalogTests {
    static let published = ["mimiciii-demo", "mimic-iv-demo", "mimic-iv-demo-omop", "mimiciii", "mimiciv", "eicu-crd"]

    @Test("digits people write for MIMIC's generations find the roman spelling first")
    func romanNumerals() {
        #expect(ProjectCatalog.closest(to: "mimic3-demo", among: Self.published).first == "mimiciii-demo")
        #expect(ProjectCatalog.closest(to: "mimic4", among: Self.published).first == "mimiciv")
        #expect(ProjectCatalog.closest(to: "MIMIC-4-demo", among: Self.published).first == "mimic-iv-demo")
        #expect(ProjectCatalog.romanizingDigits("mimic3-demo") == "mimiciii-demo")
        // A digit that is not a generation stays: a version-like tail, or a number that starts a word.
        #expect(ProjectCatalog.romanizingDigits("eicu-crd 2.0") == "eicu-crd 2.0")
    }

    @Test("ordinary typos still rank by edit distance; nothing near gives nothing")
    func typos() {
        #expect(ProjectCatalog.closest(to: "mimicii-demo", among: Self.published).first == "mimiciii-demo")
        #expect(ProjectCatalog.closest(to: "zzzzzzzzzz", among: Self.published).isEmpty)
    }
}
