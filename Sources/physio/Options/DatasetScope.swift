import FoundationEssentials
import PhysioKit

/// The datasets `cite` and `outdated` cover when none are named: physio.toml's (`--file`, else the nearest
/// one from the current folder upwards), or, with `--dest` or with no physio.toml to find, every dataset the
/// data root's inventory records, so both work after plain fetches.
enum DatasetScope {
    case declared(DataEnvironment)
    case recorded(root: URL)

    static func resolve(file: String?, data: DataRootOptions) throws -> DatasetScope {
        if let file {
            return .declared(try DataEnvironment.load(URL(fileURLWithPath: file).standardizedFileURL, context: invocation))
        }
        let here = URL(fileURLWithPath: invocation.workingDirectory, isDirectory: true)
        if data.dest == nil, let found = DataEnvironment.find(from: here) {
            return .declared(try DataEnvironment.load(found, context: invocation))
        }
        return .recorded(root: data.root)
    }
}
