import FoundationEssentials

/// What the server says a dataset version contains: its file list with checksums (or, failing that, a
/// crawl of its folder listings) and any sizes the listings reveal.
struct RemoteDataset: Sendable {
    /// The list's lines as the server published them, or the files a crawl of its listings found.
    enum Files: Sendable {
        case checksumList(ListBytes)
        case crawled(FileList)
    }

    var files: Files
    var source: DatasetProvenance.ChecksumSource {
        if case .crawled = files { return .listing }
        return .server
    }
    /// The SHA256SUMS.txt, when the server published one.
    var checksumBytes: ListBytes? {
        if case .checksumList(let bytes) = files { return bytes }
        return nil
    }
    /// The list's ETag (else Last-Modified), for the next run's conditional request.
    var checksumValidator: String?
    /// SHA-256 of `checksumBytes`: the dataset version's identity.
    var checksumDigest: SHA256Digest?

    /// The list as `ChecksumList`, read whole (only pinned versions need one, and they are small).
    func checksumList() throws(PhysioError) -> ChecksumList? {
        guard let bytes = checksumBytes else { return nil }
        return try ChecksumList(parsing: bytes.readAll())
    }

    /// A local copy of the list known to match the last run's, with the validator the server gave it and
    /// its digest (already computed to find it matching: a 304 does not hash 43 MB a second time).
    struct CachedList: Sendable {
        var validator: String
        var bytes: ListBytes
        var digest: SHA256Digest
    }

    /// The largest SHA256SUMS.txt accepted: MIMIC-IV-ECG's 800,000 files make a list of about 90 MB.
    static let checksumListLimit = 512 << 20

    /// Resolves "latest" from the `Location` of `/content/<slug>/` (docs/protocol.md §10).
    static func latestVersion(of slug: String, client: SiteClient, site: PhysioNetSite) async throws -> String {
        let response = try await client.get(site.projectURL(slug: slug), bodyLimit: 4 << 20)
        switch response.status {
        case 301, 302, 303, 307, 308:
            let components = response.head.location?.path.split(separator: "/") ?? []
            if let version = components.last, components.count >= 3, version.first?.isNumber == true {
                return String(version)
            }
            throw PhysioError.internalFailure("unexpected redirect for /content/\(slug)/")
        case 404:
            throw PhysioError.projectNotFound(slug: slug, baseURL: site.description)
        default:
            throw PhysioError.serverError(url: response.head.url.redactedString, status: response.status)
        }
    }

    /// The server would not hand over the file list: no login, an expired one, or unmet requirements.
    struct ListRefused: Error {
        var status: Int
    }

    /// `connections`: how many the list may be read over when it is large (`ChecksumListDownload`), which
    /// spools one longer than `spoolAbove` into `spoolDirectory`.
    static func load(
        urls: DatasetURLs, client: SiteClient, cached: CachedList? = nil, connections: Int = 1, spoolDirectory: String,
        spoolAbove: Int = ListBytes.inMemoryLimit
    ) async throws -> RemoteDataset {
        var conditions = HTTPHeaders()
        if let cached {
            // A strong ETag is an entity tag; anything else came from Last-Modified.
            conditions.set(cached.validator.hasPrefix("\"") ? "If-None-Match" : "If-Modified-Since", cached.validator)
        }
        let (head, body) = try await ChecksumListDownload.get(
            urls.checksumList, conditions: conditions, client: client, connections: connections, bodyLimit: checksumListLimit,
            spoolDirectory: spoolDirectory, spoolAbove: spoolAbove)
        switch head.status {
        case 304 where cached != nil:
            return try await fromList(bytes: cached!.bytes, validator: cached!.validator, digest: cached!.digest)
        case 200 where !head.isHTML:
            return try await fromList(bytes: body, validator: head.headers["ETag"] ?? head.headers["Last-Modified"])
        case 200, 401, 403:
            // A login page with 200, or a refusal: this session cannot read this version (yet).
            throw ListRefused(status: head.status)
        case 404:
            return try await crawl(urls: urls, client: client)
        default:
            throw PhysioError.serverError(url: urls.checksumList.redactedString, status: head.status)
        }
    }

    /// The list's lines are parsed a window at a time when the run plans them (`ListSelection`).
    private static func fromList(bytes: ListBytes, validator: String?, digest: SHA256Digest? = nil) async throws -> RemoteDataset {
        var remote = RemoteDataset(files: .checksumList(bytes))
        remote.checksumValidator = validator
        if let digest {
            remote.checksumDigest = digest
        } else {
            remote.checksumDigest = try await BlockingIO.run { () throws in try bytes.digest() }
        }
        return remote
    }

    /// Fallback when no SHA256SUMS.txt exists: walk the folder listings. Every file found is unverifiable.
    private static func crawl(urls: DatasetURLs, client: SiteClient) async throws -> RemoteDataset {
        var files = FileList()
        var folders = [""]
        var visited = Set<String>()
        while let folder = folders.popLast() {
            guard visited.insert(folder).inserted, visited.count <= 10_000 else { continue }
            let response = try await client.get(urls.folder(folder), bodyLimit: 32 << 20)
            guard response.status == 200 else {
                if folder.isEmpty && response.status == 404 {
                    throw PhysioError.versionNotFound(slug: urls.slug, version: urls.version)
                }
                throw PhysioError.serverError(url: urls.folder(folder).redactedString, status: response.status)
            }
            for entry in DirectoryListing(html: response.text).entries {
                let relative = folder.isEmpty ? entry.name : "\(folder)/\(entry.name)"
                guard let path = try? DatasetPath(validating: relative) else { continue }
                let isDirectory: Bool
                if let known = entry.isDirectory {
                    isDirectory = known
                } else {
                    isDirectory = try await isFolderByRedirect(urls.file(path), client: client)
                }
                if isDirectory {
                    folders.append(relative)
                } else {
                    files.append(path, size: entry.size)
                }
            }
        }
        guard !files.isEmpty else { throw PhysioError.checksumListMissing(slug: urls.slug, version: urls.version) }
        return RemoteDataset(files: .crawled(files))
    }

    /// The development server lists folders without a slash; requesting one without it gets a redirect to `name/`.
    private static func isFolderByRedirect(_ url: URL, client: SiteClient) async throws -> Bool {
        let response = try await client.send(HTTPRequest(method: .head, url: url))
        guard (301...308).contains(response.status), let location = response.head.location else { return false }
        return location.absoluteString.hasSuffix("/")
    }

    /// Sizes from the production front's autoindex pages: one request per folder, used to start the largest
    /// files first. Skipped for datasets with many folders, where the listing requests would cost more.
    static func learnSizes(of files: inout FileList, urls: DatasetURLs, client: SiteClient, maximumFolders: Int = 32) async {
        var folders = Set<String>()
        for index in files.indices where files.size(index) == nil {
            folders.insert(files.path(index).parent)
            guard folders.count <= maximumFolders else { return }
        }
        var sizes: [DatasetPath: Int64] = [:]
        for folder in folders.sorted() {
            guard let response = try? await client.get(urls.folder(folder), bodyLimit: 32 << 20), response.status == 200
            else { continue }
            for entry in DirectoryListing(html: response.text).entries {
                guard let size = entry.size else { continue }
                let relative = folder.isEmpty ? entry.name : "\(folder)/\(entry.name)"
                if let path = try? DatasetPath(validating: relative) { sizes[path] = size }
            }
        }
        for index in files.indices where files.size(index) == nil {
            if let size = sizes[files.path(index)] { files.setSize(index, size) }
        }
    }
}
