import Foundation

/// Directory listings (docs/protocol.md §8): nginx autoindex in production, Django's bare list in development.
enum DirectoryListing {
    /// nginx `autoindex` HTML: directories first, names padded to 50 columns, UTC dates, exact sizes.
    static func autoindex(title: String, tree: VersionFileTree, directory: String) -> [UInt8] {
        let (subdirectories, files) = tree.children(of: directory)
        var out = "<html>\r\n<head><title>Index of \(title)</title></head>\r\n<body>\r\n"
        out += "<h1>Index of \(title)</h1><hr><pre><a href=\"../\">../</a>\r\n"
        let date = SimulatorDates.autoindexDate(tree.modified)
        for name in subdirectories {
            out += line(name: name + "/", date: date, size: "-")
        }
        for file in files {
            // Each file's own time: the publication, or the change made while the server runs.
            out += line(name: file.name, date: SimulatorDates.autoindexDate(file.modified), size: String(file.size))
        }
        out += "</pre><hr></body>\r\n</html>\r\n"
        return Array(out.utf8)
    }

    private static func line(name: String, date: String, size: String) -> String {
        let href = ProjectPageSections.escapeHref(name)
        // Link text longer than 50 characters is cut to 47 plus "..>", the href stays whole.
        var text = name
        if text.count > 50 { text = String(text.prefix(47)) + "..>" }
        let padding = String(repeating: " ", count: max(1, 51 - text.count))
        let sizeColumn = String(repeating: " ", count: max(0, 19 - size.count)) + size
        return "<a href=\"\(href)\">\(PageLayout.escape(text))</a>\(padding)\(date) \(sizeColumn)\r\n"
    }

    /// Django's development listing: names only, byte-sorted together, directories without a trailing slash.
    static func development(tree: VersionFileTree, directory: String) -> [UInt8] {
        let (subdirectories, files) = tree.children(of: directory)
        let names = (subdirectories + files.map(\.name)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var out = "<!DOCTYPE html><html><body><ul>\n"
        for name in names {
            out += "<li><a href=\"\(ProjectPageSections.escapeHref(name))\">\(PageLayout.escape(name))</a></li>\n"
        }
        out += "</ul></body></html>\n"
        return Array(out.utf8)
    }
}
