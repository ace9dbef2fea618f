/// An error answer of GCS's XML API: a status and `<Error><Code>…</Code><Message>…</Message></Error>`, which a
/// client tells apart by the code rather than the status (401, 403 and 404 each have several).
struct CloudStorageError: Sendable {
    let status: Int
    let code: String
    let message: String
    var details: String?

    var response: SimulatorResponse {
        var xml = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>\(code)</Code><Message>\(PageLayout.escape(message))</Message>"
        if let details { xml += "<Details>\(PageLayout.escape(details))</Details>" }
        xml += "</Error>"
        return SimulatorResponse(
            status: status, headers: [("Content-Type", "application/xml; charset=UTF-8"), ("Cache-Control", "private, max-age=0")],
            body: .bytes(Array(xml.utf8)))
    }

    /// No bearer token: the caller is anonymous, and the buckets are not public.
    static let authenticationRequired = CloudStorageError(
        status: 401, code: "AuthenticationRequired", message: "Authentication required.")

    /// A bearer token other than the configured one.
    static let accessDenied = CloudStorageError(
        status: 403, code: "AccessDenied", message: "Access denied.",
        details: "The bearer token does not grant storage.objects.get on this bucket.")

    /// Any method but GET and HEAD: a reader of PhysioNet's buckets may not write to them.
    static let readOnly = CloudStorageError(
        status: 403, code: "AccessDenied", message: "Access denied.",
        details: "The caller does not have storage.objects.create or storage.objects.delete access to the bucket.")

    /// GCS's own wording, which a client may match to tell the user to pass a billing project.
    static let userProjectMissing = CloudStorageError(
        status: 400, code: "UserProjectMissing", message: "Bucket is a requester pays bucket but no user project provided.")

    static func userProjectAccessDenied(_ project: String) -> CloudStorageError {
        CloudStorageError(
            status: 403, code: "UserProjectAccessDenied",
            message: "The requester is not authorized to use project \(project) for billing.")
    }

    static func noSuchBucket(_ bucket: String) -> CloudStorageError {
        CloudStorageError(status: 404, code: "NoSuchBucket", message: "The specified bucket does not exist.", details: bucket)
    }

    static func noSuchKey(bucket: String, object: String) -> CloudStorageError {
        CloudStorageError(
            status: 404, code: "NoSuchKey", message: "The specified key does not exist.",
            details: "No such object: \(bucket)/\(object)")
    }

    static func invalidRange(_ range: String) -> CloudStorageError {
        CloudStorageError(status: 416, code: "InvalidRange", message: "The requested range cannot be satisfied.", details: range)
    }

    /// The bucket itself (`/<bucket>` or `/<bucket>/`) is a listing, which the emulation does not offer: a client of
    /// PhysioNet's buckets takes the file list from PhysioNet's `SHA256SUMS.txt`, not from the mirror.
    static let listingNotEmulated = CloudStorageError(
        status: 501, code: "NotImplemented", message: "A requested functionality is not implemented.",
        details: "The simulator emulates object reads, not bucket listings.")

    /// A fixture file that could not be read.
    static let internalError = CloudStorageError(
        status: 500, code: "InternalError", message: "We encountered an internal error. Please try again.")
}
