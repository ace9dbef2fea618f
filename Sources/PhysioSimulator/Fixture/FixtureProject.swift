import Foundation
import PhysioKit

/// A published project: one slug with one or more versions (docs/protocol.md §10).
public struct FixtureProject: Codable, Sendable {
    public var slug: String
    public var title: String
    public var resourceType: String
    public var abstract: String
    /// In citation order, each as PhysioNet's citations initial them: `Johnson, A.`, `Celi, L. A.`
    /// (docs/protocol.md §11).
    public var authors: [String]
    public var versions: [FixtureVersion]

    public init(
        slug: String, title: String, resourceType: String = "Database", abstract: String = "", authors: [String] = [],
        versions: [FixtureVersion]
    ) {
        self.slug = slug
        self.title = title
        self.resourceType = resourceType
        self.abstract = abstract
        self.authors = authors
        self.versions = versions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slug = try c.decode(String.self, forKey: .slug)
        title = try c.decode(String.self, forKey: .title)
        resourceType = try c.decodeIfPresent(String.self, forKey: .resourceType) ?? "Database"
        abstract = try c.decodeIfPresent(String.self, forKey: .abstract) ?? "<p>\(title).</p>"
        authors = try c.decodeIfPresent([String].self, forKey: .authors) ?? []
        versions = try c.decode([FixtureVersion].self, forKey: .versions)
    }

    public func version(_ number: String) -> FixtureVersion? {
        versions.first { $0.version == number }
    }

    /// "Latest" by numeric version ordering, as the server recomputes it at each publication (docs/protocol.md §10).
    public var latestVersion: FixtureVersion? {
        versions.max { DatasetSlug.isVersion($1.version, newerThan: $0.version) }
    }

    /// Django's `slugify(title)`: lower-case ASCII, runs of other characters become one hyphen.
    public var slugifiedTitle: String {
        var out = ""
        var pendingHyphen = false
        for scalar in title.lowercased().unicodeScalars {
            if scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar)) {
                if pendingHyphen && !out.isEmpty { out.append("-") }
                pendingHyphen = false
                out.unicodeScalars.append(scalar)
            } else if scalar == "-" || scalar == " " || scalar == "_" {
                pendingHyphen = true
            }
        }
        return out
    }
}

/// One published version and its access rules (docs/protocol.md §11).
public struct FixtureVersion: Codable, Sendable {
    public enum AccessPolicy: String, Codable, Sendable {
        case open = "OPEN"
        case restricted = "RESTRICTED"
        case credentialed = "CREDENTIALED"
        case contributorReview = "CONTRIBUTOR_REVIEW"
    }

    /// Whether `SHA256SUMS.txt` comes from the file folder, is generated in PhysioNet's format, or is absent.
    public enum ChecksumSource: String, Codable, Sendable {
        case serveFromFolder = "serve"
        case generate
        case absent
    }

    public struct RequiredTraining: Codable, Sendable {
        public var id: Int
        public var name: String

        public init(id: Int, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var version: String
    /// ISO 8601 date (`2023-01-31`); also the modification time of every file of the version.
    public var published: String
    public var access: AccessPolicy
    public var license: String
    public var dua: String?
    public var requiredTrainings: [RequiredTraining]
    public var files: FixtureFiles
    public var sha256sums: ChecksumSource
    public var deprecated: Bool
    public var downloadsDisabled: Bool
    /// The version's DOI (`10.13026/dp1f-ex47`). Without one the page has no citation box, as for a legacy
    /// project (docs/protocol.md §11).
    public var doi: String?
    /// Cloud copies the Files section offers (mirrored projects show `aws s3 sync` and `gsutil` lines,
    /// docs/protocol.md §11): `aws-open` (PhysioNet's open-data bucket) and `gs://bucket` values.
    public var mirrors: [String]

    public init(
        version: String, published: String, access: AccessPolicy, license: String = "Open Data Commons Open Database License v1.0",
        dua: String? = nil, requiredTrainings: [RequiredTraining] = [], files: FixtureFiles,
        sha256sums: ChecksumSource = .generate, deprecated: Bool = false, downloadsDisabled: Bool = false, doi: String? = nil,
        mirrors: [String] = []
    ) {
        self.mirrors = mirrors
        self.version = version
        self.published = published
        self.access = access
        self.license = license
        self.dua = dua
        self.requiredTrainings = requiredTrainings
        self.files = files
        self.sha256sums = sha256sums
        self.deprecated = deprecated
        self.downloadsDisabled = downloadsDisabled
        self.doi = doi
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(String.self, forKey: .version)
        published = try c.decode(String.self, forKey: .published)
        access = try c.decode(AccessPolicy.self, forKey: .access)
        license = try c.decodeIfPresent(String.self, forKey: .license) ?? "Open Data Commons Open Database License v1.0"
        dua = try c.decodeIfPresent(String.self, forKey: .dua)
        requiredTrainings = try c.decodeIfPresent([RequiredTraining].self, forKey: .requiredTrainings) ?? []
        files = try c.decode(FixtureFiles.self, forKey: .files)
        sha256sums = try c.decodeIfPresent(ChecksumSource.self, forKey: .sha256sums) ?? .generate
        deprecated = try c.decodeIfPresent(Bool.self, forKey: .deprecated) ?? false
        downloadsDisabled = try c.decodeIfPresent(Bool.self, forKey: .downloadsDisabled) ?? false
        doi = try c.decodeIfPresent(String.self, forKey: .doi)
        mirrors = try c.decodeIfPresent([String].self, forKey: .mirrors) ?? []
    }

    public var publishedDate: Date { SimulatorDates.parse(published) ?? Date(timeIntervalSince1970: 0) }
}

/// Where a version's files come from: a real folder, or deterministic generated content.
public struct FixtureFiles: Codable, Sendable {
    /// Folder relative to the fixture file, served verbatim.
    public var folder: String?
    /// Seeded generated files (used when `folder` is nil).
    public var generated: GeneratedFiles?

    public init(folder: String) {
        self.folder = folder
        self.generated = nil
    }

    public init(generated: GeneratedFiles) {
        self.folder = nil
        self.generated = generated
    }

    public struct GeneratedFiles: Codable, Sendable {
        public var seed: UInt64
        public var files: [GeneratedFile]

        public init(seed: UInt64, files: [GeneratedFile]) {
            self.seed = seed
            self.files = files
        }
    }

    public struct GeneratedFile: Codable, Sendable {
        /// `/`-separated path relative to the version root.
        public var path: String
        public var size: Int64

        public init(path: String, size: Int64) {
            self.path = path
            self.size = size
        }
    }
}
