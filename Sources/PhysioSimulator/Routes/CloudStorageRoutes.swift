import Foundation

/// Google Cloud Storage's XML API for PhysioNet's requester-pays buckets, when the server was started with a
/// `CloudStorageEmulation`: `GET|HEAD /<bucket>/<object>?userProject=<project>` with `Authorization: Bearer <token>`.
/// Objects are the files `/files/` serves, answered by the same responder (Range, If-Range, conditions), with GCS's
/// headers and XML errors instead of nginx's and Django's.
extension SimulatorSite {
    /// Whether a path whose first segment is `segment` is a bucket's. Bucket names carry a dot and no path of the
    /// site starts with one, so the emulation takes nothing from the site.
    func isBucketSegment(_ segment: String) -> Bool {
        cloudStorage?.claims(segment) ?? false
    }

    func cloudStorageRoute(_ request: SimulatorRequest, bucket name: String) -> SimulatorResponse {
        guard let cloudStorage else { return notFound(request) }
        // Credentials come first, as on GCS: an anonymous or unknown caller learns nothing about the buckets.
        guard let token = Self.bearerToken(request.header("Authorization")) else {
            return CloudStorageError.authenticationRequired.response
                .withHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"")
        }
        guard token == cloudStorage.token else { return CloudStorageError.accessDenied.response }
        guard let content = cloudStorage.buckets[name] else { return CloudStorageError.noSuchBucket(name).response }
        // Requester pays: every request names the project billed for it, and the caller must be allowed to bill it.
        guard let project = request.query["userProject"], !project.isEmpty else {
            return CloudStorageError.userProjectMissing.response
        }
        guard project == cloudStorage.billingProject else { return CloudStorageError.userProjectAccessDenied(project).response }
        guard request.isGetOrHead else { return CloudStorageError.readOnly.response }

        // The object name is the rest of the path as sent, not re-joined segments: `a//b` names no file here, as it
        // names none on PhysioNet.
        let prefix = "/\(name)/"
        let objectName = request.path.hasPrefix(prefix) ? String(request.path.dropFirst(prefix.count)) : ""
        guard !objectName.isEmpty else { return CloudStorageError.listingNotEmulated.response }
        guard let object = bucketObject(objectName, bucket: name, content: content, revision: request.faults.fileRevision) else {
            return CloudStorageError.noSuchKey(bucket: name, object: objectName).response
        }

        let crc32c: UInt32
        do {
            crc32c = try objectChecksums.crc32c(key: object.contentKey, of: object.file, revision: object.revision)
        } catch {
            return CloudStorageError.internalError.response
        }
        // GCS is no Django runserver: production semantics whatever mode the site imitates.
        let answer = StaticFileResponder(mode: .production).respond(
            to: request, file: object.file, revision: object.revision, headers: object.headers(crc32c: crc32c),
            etag: object.etag(crc32c: crc32c))
        guard answer.status != 416 else {
            return CloudStorageError.invalidRange(request.header("Range") ?? "").response
                .withHeader("Content-Range", "bytes */\(object.file.size)")
        }
        return answer
    }

    /// The object at `path`: absent when the test removed it from the bucket, the test's bytes when it overrode them,
    /// otherwise the version's file as `/files/` serves it now. Folders are no objects, as in GCS.
    private func bucketObject(
        _ path: String, bucket: String, content: CloudStorageEmulation.BucketContent, revision: Int
    ) -> CloudStorageObject? {
        guard !content.missing.contains(path), let tree = tree(slug: content.slug, version: content.version) else { return nil }
        if let bytes = content.overrides[path] {
            // Dated as PhysioNet's file (or the version) is: a mirror's copy that differs in content, not in time.
            let file = VersionFile(
                path: path, size: Int64(bytes.count), modified: tree.files[path]?.modified ?? tree.modified,
                source: .memory(bytes))
            return CloudStorageObject(bucket: bucket, file: file, isOverride: true, revision: revision)
        }
        guard let file = tree.files[path] else { return nil }
        return CloudStorageObject(bucket: bucket, file: file, isOverride: false, revision: revision)
    }

    /// The token of `Authorization: Bearer <token>`; nil for no header or another scheme (Basic credentials meant
    /// for PhysioNet are no Google credentials).
    static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
