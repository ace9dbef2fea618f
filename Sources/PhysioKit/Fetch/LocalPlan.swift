import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that must be transferred, as a worker needs it.
struct DownloadCandidate: Sendable {
    /// Its index in the run's `FileList`.
    var index: Int
    var path: DatasetPath
    var digest: SHA256Digest?
    var size: Int64?
    var bytesPresent: Int64
    /// It replaces a different local copy: the server changed it, or the copy was changed locally.
    var replaces = false
    /// What to keep of the copy it replaces, just before (`PreviousCopies`); `nil`: nothing.
    var keep: PreviousCopies.Kind?
}

/// What the local data root already holds, checked against the remote list: files verified before whose
/// size, mtime and inode are unchanged (kept, and not even copied out of the inventory), files present but
/// unknown (hashed once, in parallel), inventory rows the list no longer names, and everything else to
/// download. Files are named by their index in the (path-sorted) list the plan was made from.
struct LocalPlan: Sendable {
    /// Files kept as they are, by state.
    var keptVerified = 0
    var keptUnverifiable = 0
    /// Indices of the kept files, only when the plan is to be shown (`--dry-run`).
    var kept: [Int] = []
    /// Files still to transfer, by index in the list: 4 bytes each, where a `DownloadCandidate` with its
    /// path string takes over 100 (a fresh fetch of MIMIC-IV-ECG queues 800,000).
    var toDownload: [UInt32] = []
    /// Bytes already in the `.part` files of the few files that have one.
    var partials: [Int: Int64] = [:]
    /// Sizes the inventory knew for files whose list gives none, for the caller to put into the list.
    var knownSizes: [(index: Int, size: Int64)] = []
    /// Files found present and verified by hashing in this run: new rows for the inventory.
    var hashed: [FileRecord] = []
    /// Inventory rows of files the selection covers but the list no longer names.
    var stale: [DatasetPath] = []
    /// For each of `stale`, the stat facts its row recorded for bytes physio put there (`nil` for a failed
    /// row): a stale file that no longer has them was changed locally, and `sync --prune` keeps it.
    var staleIdentities: [FileIdentity?] = []
    /// Of `toDownload`, the files that will replace a different local copy, in the order queued: a server
    /// changed them, or the local copy was changed. Empty on a fresh fetch, so it costs nothing there.
    var replaced: [UInt32] = []
    /// Of `replaced`, the local copies that are not the bytes physio verified (the rest are: the server
    /// changed those files). Settled from what the plan already knows: a file whose stat facts still match
    /// its row is physio's bytes without a look, and the few whose stat changed are hashed anyway.
    var localChanges: [UInt32: LocalChange] = [:]

    /// Why a local copy that a download will replace is not physio's verified bytes.
    enum LocalChange: Sendable, Equatable {
        /// Its bytes differ from those its row recorded: edited after physio verified it.
        case changedSinceVerified
        /// No row records what it holds (none, or a failed one): physio has no record of verifying these bytes.
        case unrecorded
    }

    var alreadyVerified: Int { keptVerified + keptUnverifiable + hashed.count }

    /// What the files of known size still need, less what their partial files hold.
    func knownBytesToDownload(_ files: FileList) -> Int64 {
        toDownload.reduce(0) { $0 + max(0, (files.size(Int($1)) ?? 0) - (partials[Int($1)] ?? 0)) }
    }

    /// How many of `toDownload` the walk queued (in list order); the rest were queued after hashing.
    var queuedByWalk = 0

    /// Every file of the plan in path order.
    func describe(_ files: FileList) -> [FetchSummary.PlannedFile] {
        var result: [FetchSummary.PlannedFile] = []
        result.reserveCapacity(kept.count + toDownload.count + hashed.count)
        describe(files) { result.append($0) }
        return result
    }

    /// Hands over every file of the plan in path order, one at a time: a dry run of 400,000 files prints
    /// them without holding them. Kept and walk-queued files come in list order already; the few settled
    /// by hashing are sorted aside and merged in. A file that would overwrite a different local copy is a
    /// `replace`, so a dry run tells new files from changed ones.
    func describe(_ files: FileList, _ emit: (FetchSummary.PlannedFile) -> Void) {
        let replacing = Set(replaced)
        func planned(queued index: Int) -> FetchSummary.PlannedFile {
            let present = partials[index] ?? 0
            return FetchSummary.PlannedFile(
                path: files.path(index).value, size: files.size(index), bytesPresent: present,
                action: replacing.contains(UInt32(index)) ? "replace" : present > 0 ? "resume" : "download")
        }
        var extras = hashed.map {
            FetchSummary.PlannedFile(path: $0.path.value, size: $0.size, bytesPresent: $0.size ?? 0, action: "keep (verified)")
        } + toDownload[queuedByWalk...].map { planned(queued: Int($0)) }
        extras.sort { $0.path < $1.path }
        var extra = 0
        func emitInOrder(_ file: FetchSummary.PlannedFile) {
            while extra < extras.count && extras[extra].path < file.path {
                emit(extras[extra])
                extra += 1
            }
            emit(file)
        }
        var keptNext = 0
        var queuedNext = 0
        while keptNext < kept.count || queuedNext < queuedByWalk {
            if queuedNext >= queuedByWalk || (keptNext < kept.count && kept[keptNext] < Int(toDownload[queuedNext])) {
                let index = kept[keptNext]
                keptNext += 1
                emitInOrder(FetchSummary.PlannedFile(
                    path: files.path(index).value, size: files.size(index), bytesPresent: files.size(index) ?? 0,
                    action: "keep (verified)"))
            } else {
                emitInOrder(planned(queued: Int(toDownload[queuedNext])))
                queuedNext += 1
            }
        }
        for file in extras[extra...] { emit(file) }
    }

    /// Hands over the stale files still on disk (those `StaleFiles.dispose` would find), as `policy` would
    /// treat them: `move aside` or `delete`; nothing for `forget`, which leaves the files where they are.
    func describeStale(
        location: DatasetLocation, policy: FetchOptions.StaleFilePolicy, _ emit: (FetchSummary.PlannedFile) -> Void
    ) {
        let action: String
        switch policy {
        case .forget: return
        case .moveAside: action = "move aside"
        case .delete: action = "delete"
        }
        for path in stale.sorted() {
            guard let size = FileSystem.identity(atPath: location.finalPath(for: path))?.size else { continue }
            emit(FetchSummary.PlannedFile(path: path.value, size: size, bytesPresent: size, action: action))
        }
    }

    /// Merges the remote list with the inventory's rows for this dataset (none when there is no inventory
    /// yet), both in path order, so neither is turned into a dictionary; rows the list does not name are
    /// stale unless `keepsRow` says the selection does not cover them (another `--include`, or another shard).
    /// `rows`: the inventory rows this window of the list answers for (`ListWindow`), all when unbounded.
    static func assess(
        _ files: FileList, location: DatasetLocation, inventory: Inventory?, describing: Bool,
        rows: (after: DatasetPath?, through: DatasetPath?) = (nil, nil), keepsRow: @escaping @Sendable (DatasetPath) -> Bool
    ) async throws -> LocalPlan {
        assert(files.isSorted, "plans merge path-sorted lists (FetchEngine sorts them; a shard's part is sorted)")
        // No partial folder (a first run): no file can have bytes to resume, so skip 20,000 failing stats.
        let partialsPossible = FileSystem.isDirectory(URL(fileURLWithPath: location.partialPath, isDirectory: true))
        // No dataset folder (a first run): nothing is present, and no file needs a look. Otherwise helpers
        // stat ahead on every core but one while the walk below reads the facts in list order.
        let present: StatTable? = FileSystem.isDirectory(URL(fileURLWithPath: location.datasetPath, isDirectory: true))
            ? StatTable(count: files.count, under: location.datasetPath) { index, stat in files.withPathBytes(index, stat) }
            : nil
        let helpers = Task { await present?.help(threads: ProcessInfo.processInfo.activeProcessorCount - 1) }
        let walked: Result<(LocalPlan, ToHash), any Error>
        do {
            walked = .success(try await BlockingIO.run { () throws -> (LocalPlan, ToHash) in
                try walk(
                    files, location: location, inventory: inventory, present: present, partialsPossible: partialsPossible,
                    describing: describing, rows: rows, keepsRow: keepsRow)
            })
        } catch {
            walked = .failure(error)
        }
        // A walk that failed needs no more stats; either way no helper outlives the plan.
        present?.stop()
        await helpers.value
        let sorted = try walked.get()
        var plan = sorted.0
        plan.queuedByWalk = plan.toDownload.count
        plan.toDownload.reserveCapacity(plan.toDownload.count + sorted.1.indices.count)
        let hashed = try await hashInParallel(sorted.1.indices, files: files, location: location)
        let recorded = sorted.1.recorded
        for (index, outcome) in hashed {
            switch outcome {
            case .matches(let record):
                plan.hashed.append(record)
            case .differs(let actual):
                let partial = FileSystem.identity(atPath: location.partialPath(for: files.path(index)))?.size ?? 0
                if partial > 0 { plan.partials[index] = partial }
                plan.replaced.append(UInt32(index))
                plan.toDownload.append(UInt32(index))
                // The bytes its row recorded, only touched since (a copy, a restore): physio's, as the server
                // changed the file. Anything else is a local change, or bytes physio never verified.
                switch recorded[index] {
                case let known? where known == actual: break
                case .some: plan.localChanges[UInt32(index)] = .changedSinceVerified
                case nil: plan.localChanges[UInt32(index)] = .unrecorded
                }
            }
        }
        return plan
    }

    /// Present files whose stat facts do not vouch for them, to hash; for those with a row, the digest it
    /// recorded for bytes physio put there (verified, or downloaded without a checksum), to tell a local
    /// change from a file the server changed. Apart, because a first run over files fetched by other means
    /// hashes 400,000 files and has no row for any.
    struct ToHash: Sendable {
        var indices: [Int] = []
        var recorded: [Int: SHA256Digest] = [:]
    }

    /// The merge itself, on a blocking-work thread: each file of the list judged against its inventory row
    /// (or none) and its stat facts; returns the plan so far and the files to hash.
    private static func walk(
        _ files: FileList, location: DatasetLocation, inventory: Inventory?, present: StatTable?, partialsPossible: Bool,
        describing: Bool, rows: (after: DatasetPath?, through: DatasetPath?), keepsRow: (DatasetPath) -> Bool
    ) throws -> (LocalPlan, ToHash) {
        var plan = LocalPlan()
        // Room for every file: untouched capacity costs no resident memory, and growing by doubling
        // would copy a queue of 400,000 three times.
        plan.toDownload.reserveCapacity(files.count)
        var toHash = ToHash()
        /// The digest of the bytes a row says physio put at its path; a failed row names only the list's.
        func recordedBytes(_ record: Inventory.KnownFile?) -> SHA256Digest? {
            guard let record, record.state != .failed else { return nil }
            return record.sha256
        }
        func judge(_ index: Int, _ record: Inventory.KnownFile?) {
            let digest = files.digest(index)
            let identity = present?.identity(index)
            if let record, let identity, record.identity == identity, record.sha256 == digest || digest == nil,
                record.state == .verified || (record.state == .unverifiable && digest == nil)
            {
                if record.state == .verified { plan.keptVerified += 1 } else { plan.keptUnverifiable += 1 }
                if describing {
                    plan.kept.append(index)
                    // Shown with its size, which the list may not give: the file's own, unchanged since verified.
                    if files.size(index) == nil { plan.knownSizes.append((index, identity.size)) }
                }
            } else if let record, let identity, record.identity == identity, record.state == .verified,
                let known = record.sha256, let digest, known != digest
            {
                // Untouched since it was verified, and the list now names other bytes: the server changed
                // the file. Hashing it again could only say what the row already does.
                let partial = partialsPossible ? FileSystem.identity(atPath: location.partialPath(for: files.path(index)))?.size ?? 0 : 0
                if partial > 0 { plan.partials[index] = partial }
                plan.replaced.append(UInt32(index))
                plan.toDownload.append(UInt32(index))
            } else if identity != nil && (digest != nil || recordedBytes(record) != nil) {
                // Without a digest in the list the file is downloaded again whatever it holds; hashed only
                // to know whether the copy it replaces is physio's.
                toHash.indices.append(index)
                if let known = recordedBytes(record) { toHash.recorded[index] = known }
            } else {
                if identity != nil {
                    // Present, with no digest to check it against and no row for it: bytes physio never verified.
                    plan.localChanges[UInt32(index)] = .unrecorded
                    plan.replaced.append(UInt32(index))
                }
                if files.size(index) == nil, record?.sha256 == digest, let known = record?.size {
                    plan.knownSizes.append((index, known))
                }
                let partial = partialsPossible ? FileSystem.identity(atPath: location.partialPath(for: files.path(index)))?.size ?? 0 : 0
                if partial > 0 { plan.partials[index] = partial }
                plan.toDownload.append(UInt32(index))
            }
        }
        var next = 0
        try inventory?.forEachKnownFile(slug: location.slug, version: location.version, after: rows.after, through: rows.through) {
            rowPath, record throws(PhysioError) in
            var order = 0
            while next < files.count {
                order = files.compare(next, rowPath)
                guard order < 0 else { break }
                judge(next, nil)
                next += 1
            }
            if next < files.count && order == 0 {
                judge(next, record)
                next += 1
                return
            }
            // A row the list does not name: the only rows whose path becomes a string.
            guard let path = try? DatasetPath(validating: String(decoding: rowPath, as: UTF8.self)) else {
                throw .inventory(path: "files", detail: "a file row holds an unsafe path")
            }
            if !keepsRow(path) {
                plan.stale.append(path)
                plan.staleIdentities.append(record.state == .failed ? nil : record.identity)
            }
        }
        while next < files.count {
            judge(next, nil)
            next += 1
        }
        return (plan, toHash)
    }

    /// What hashing a present file found.
    enum Hashed: Sendable {
        /// It holds the listed bytes: a verified record, with the stat facts it was hashed under.
        case matches(FileRecord)
        /// Other bytes (their digest), or `nil` when they could not be read whole or changed while read.
        case differs(SHA256Digest?)
    }

    /// Hashes present-but-unrecorded files across all cores; a match becomes a verified record.
    static func hashInParallel(_ indices: [Int], files: FileList, location: DatasetLocation) async throws
        -> [(Int, Hashed)]
    {
        guard !indices.isEmpty else { return [] }
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: (Int, Hashed).self) { group in
            var results: [(Int, Hashed)] = []
            var iterator = indices.makeIterator()
            func addNext() {
                guard let index = iterator.next() else { return }
                let file = files.path(index)
                let expected = files.digest(index)
                group.addTask {
                    let path = location.finalPath(for: file)
                    return await BlockingIO.run {
                        let before = FileSystem.identity(atPath: path)
                        guard let digest = try? FileHashing.digest(ofPath: path), let before, FileSystem.identity(atPath: path) == before
                        else { return (index, .differs(nil)) }
                        guard digest == expected else { return (index, .differs(digest)) }
                        return (index, .matches(FileRecord(
                            path: file, size: before.size, sha256: digest, state: .verified, verifiedAt: Date(),
                            identity: before)))
                    }
                }
            }
            for _ in 0..<width { addNext() }
            while let result = try await group.next() {
                results.append(result)
                addNext()
            }
            return results
        }
    }
}
