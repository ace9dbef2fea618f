import Foundation

/// Content types and the application's file headers (docs/protocol.md §7).
enum FileHeaders {
    static func contentType(for name: String) -> String {
        let lower = name.lowercased()
        let ext = lower.split(separator: ".").last.map(String.init) ?? ""
        guard lower.contains(".") else { return "text/plain" }
        switch ext {
        case "gz": return "application/gzip"
        case "zip": return "application/zip"
        case "txt": return "text/plain; charset=utf-8"
        case "csv": return "text/csv"
        case "pdf": return "application/pdf"
        case "json": return "application/json"
        case "html", "htm": return "text/html"
        case "xml": return "text/xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        // WFDB signal/annotation/header files and other binaries.
        case "dat", "hea", "atr", "mat", "edf", "qrs", "ecg", "bin", "parquet", "npy": return "application/octet-stream"
        default: return "text/plain"
        }
    }

    /// `Content-Disposition` (filename unquoted, as the server writes it) and the CSP sandbox (not for PDFs).
    static func application(name: String, download: Bool) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Content-Disposition", "\(download ? "attachment" : "inline"); filename=\(name)")]
        if !name.lowercased().hasSuffix(".pdf") {
            headers.append(("Content-Security-Policy", "sandbox; default-src 'self'"))
        }
        return headers
    }

    /// nginx's strong ETag: `"<mtime hex>-<size hex>"`.
    static func etag(modified: Date, size: Int64) -> String {
        "\"\(String(Int64(modified.timeIntervalSince1970), radix: 16))-\(String(size, radix: 16))\""
    }
}
