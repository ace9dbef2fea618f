import ArgumentParser
import FoundationEssentials
import PhysioKit

struct CiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cite",
        abstract: "Print how to cite datasets (and PhysioNet), offline, from what fetch and sync recorded.",
        discussion: """
            Without arguments: every dataset of physio.toml (found from the current folder upwards), or with \
            --dest, or where there is no physio.toml, every dataset the data root records. Each \
            citation gives the dataset's DOI, licence and data use agreement; PhysioNet's standard citation \
            (Goldberger et al., Circulation 2000) follows, as PhysioNet's terms ask. Citations are read from the \
            project page when a version is first fetched, so no network is needed here.
            """)

    @Argument(help: "Datasets as <slug>@<version> (or <slug> for every recorded version).")
    var datasets: [DatasetSpecifier] = []

    @OptionGroup var data: DataRootOptions

    @Option(name: .long, help: "Output: text, bibtex or ris.")
    var format: CitationFormat = .text

    @Option(name: .long, help: ArgumentHelp("The physio.toml to cite (default: found from the current folder upwards).", valueName: "path"))
    var file: String?

    func run() async throws {
        try await reportingFailures {
            var wanted = datasets.map { (slug: $0.slug, version: $0.version) }
            var root = data.root
            var everyRecorded = false
            if wanted.isEmpty {
                switch try DatasetScope.resolve(file: file, data: data) {
                case .declared(let environment):
                    root = environment.root
                    let lock = try DataLock.load(beside: environment.file)
                    wanted = environment.datasets.map { declared in
                        (declared.slug, declared.version.pinned ?? lock?.entry(slug: declared.slug, requested: "latest")?.version)
                    }
                case .recorded(let dataRoot):
                    root = dataRoot
                    everyRecorded = true
                }
            }
            let recorded = try await BlockingIO.run { [root] () throws in try Inventory.existing(root: root)?.allCitations() ?? [] }
            if everyRecorded {
                guard !recorded.isEmpty else {
                    throw PhysioError.usage(
                        "No physio.toml here and no citation recorded under \(root.path); fetch a dataset there first, or pass --dest or --file.")
                }
                wanted = recorded.map { ($0.slug, $0.version) }
            }
            var chosen: [DatasetCitation] = []
            for (slug, version) in wanted {
                let matches = recorded.filter { $0.slug == slug && (version == nil || $0.version == version) }
                guard !matches.isEmpty else {
                    throw PhysioError.usage(
                        "No citation is recorded for \(slug)\(version.map { "@\($0)" } ?? "") under \(root.path); fetch or sync it once (the citation is read from its project page then).")
                }
                chosen += matches.filter { match in !chosen.contains(match) }
            }
            try Console.outBytes(Array(format.render(chosen).utf8))
            return .success
        }
    }
}

extension CitationFormat: ExpressibleByArgument {}
