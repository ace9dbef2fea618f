/// Versions of a dataset left behind in a data root: a sync that follows `latest` fetches the new version
/// beside the old one and never deletes it. A version is old when a newer version of the same dataset is
/// recorded in the root and the root's physio.toml does not declare it (`DeclaredVersions`): a version kept
/// on purpose, pinned beside a `latest` entry, is not old.
public enum OldVersions {
    /// The newest recorded version of its dataset for each old version, by `slug@version`.
    public static func find(in datasets: [DatasetProvenance], declared: DeclaredVersions) -> [String: String] {
        var newest: [String: String] = [:]
        for dataset in datasets {
            if let known = newest[dataset.slug], !DatasetSlug.isVersion(dataset.version, newerThan: known) { continue }
            newest[dataset.slug] = dataset.version
        }
        var old: [String: String] = [:]
        for dataset in datasets {
            guard let top = newest[dataset.slug], DatasetSlug.isVersion(top, newerThan: dataset.version),
                !declared.declares(slug: dataset.slug, version: dataset.version)
            else { continue }
            old["\(dataset.slug)@\(dataset.version)"] = top
        }
        return old
    }
}
