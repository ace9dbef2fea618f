import FoundationEssentials

/// Forgetting a whole dataset version (`physio prune --old-versions`), after its files are gone.
extension Inventory {
    /// Deletes the version's file rows, its dataset row and its citation in one transaction. The file rows
    /// go by their dataset id explicitly: the schema's `ON DELETE CASCADE` is not enforced
    /// (`InventorySchema.prepare` leaves foreign keys off).
    public func forget(slug: String, version: String) throws(PhysioError) {
        try withConnection { database throws(PhysioError) in
            try database.transaction { () throws(PhysioError) in
                for sql in [
                    "DELETE FROM files WHERE dataset_id = (SELECT id FROM datasets WHERE slug = ?1 AND version = ?2)",
                    "DELETE FROM datasets WHERE slug = ?1 AND version = ?2",
                    "DELETE FROM citations WHERE slug = ?1 AND version = ?2",
                ] {
                    let statement = try database.prepare(sql)
                    statement.bind(1, slug)
                    statement.bind(2, version)
                    try statement.run()
                }
            }
        }
    }
}
