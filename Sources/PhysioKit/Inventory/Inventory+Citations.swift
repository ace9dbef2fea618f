import FoundationEssentials

/// The `citations` table: one `DatasetCitation` per dataset version, as JSON (a citation is read whole and
/// never queried by field, and the styles are a map).
extension Inventory {
    public func citation(slug: String, version: String) throws(PhysioError) -> DatasetCitation? {
        try withConnection { database throws(PhysioError) -> DatasetCitation? in
            let query = try database.prepare("SELECT citation FROM citations WHERE slug = ?1 AND version = ?2")
            query.bind(1, slug)
            query.bind(2, version)
            guard try query.step(), let text = query.string(0) else { return nil }
            return try? PhysioJSON.decoder().decode(DatasetCitation.self, from: Data(text.utf8))
        }
    }

    /// Every recorded citation, by slug and version.
    public func allCitations() throws(PhysioError) -> [DatasetCitation] {
        try withConnection { database throws(PhysioError) -> [DatasetCitation] in
            let query = try database.prepare("SELECT citation FROM citations ORDER BY slug, version")
            var citations: [DatasetCitation] = []
            while try query.step() {
                if let text = query.string(0), let citation = try? PhysioJSON.decoder().decode(DatasetCitation.self, from: Data(text.utf8)) {
                    citations.append(citation)
                }
            }
            return citations
        }
    }

    public func record(_ citation: DatasetCitation) throws(PhysioError) {
        guard let data = try? PhysioJSON.encoder(.line).encode(citation) else { throw .internalFailure("a citation could not be encoded") }
        try withConnection { database throws(PhysioError) in
            let statement = try database.prepare("""
                INSERT INTO citations (slug, version, citation, recorded_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (slug, version) DO UPDATE SET citation = excluded.citation, recorded_at = excluded.recorded_at
                """)
            statement.bind(1, citation.slug)
            statement.bind(2, citation.version)
            statement.bind(3, String(decoding: data, as: UTF8.self))
            statement.bind(4, ISODate.format(Date()))
            try statement.run()
        }
    }
}
