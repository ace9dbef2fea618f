import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where one window of a list is: its lines' bytes, the line it starts after, and how many selected files
/// come before it (what a shard's range counts in).
struct ListWindowPlace: Sendable, Equatable {
    var bytes: Range<Int>
    var firstLine: Int
    var selectedBefore: Int
}

/// One window of the list, ready to plan: its place, its selected files in path order, and the paths that
/// bound it in the whole list, which decide the inventory rows it answers for.
struct ListWindow: Sendable {
    var place: ListWindowPlace
    var files: FileList
    /// The whole window's last path (before the selection); `nil` for the list's last window, which also
    /// answers for every row after it.
    var lastPath: DatasetPath?
}

/// Cuts a run's file list into windows of whole lines and selects the run's files in each (the filter, a
/// shard's range). A list up to `maxBytes` is one window, and is all a run ever holds as it always did:
/// sorted when the server did not sort it, sizes learnt from the listings, a shard cut by its files' sizes.
/// A longer list is planned and downloaded a window at a time, so a run holds one window's lines (4 MiB,
/// about 40,000 files) whatever the dataset's size. Windows are merged with the inventory in path order, so
/// a long list found out of path order (PhysioNet sorts most of its lists, not all) is read again whole, as
/// one window (`asOneWindow`); the plan, which writes nothing, starts over.
struct ListSelection: Sendable {
    let files: RemoteDataset.Files
    let filter: PathFilter
    let shard: Shard?
    let maxBytes: Int
    /// For a shard of a windowed list: its range of the selected files, which all count alike (a list names
    /// no sizes, so every node cuts the same ranges).
    private var shardRange: Range<Int>?
    /// The list is read as one window (it is small, crawled, or not in path order).
    private(set) var isOneWindow: Bool
    /// That one window, selected: parsed here, so a malformed or unsafe line stops the run before it takes
    /// its locks or writes anything. (A longer list's lines are checked as the plan reads them, and every
    /// window is planned before the first file is written.)
    private var oneWindow: FileList?

    /// `checkOrderFirst`: read a long list's windows through once first, for a plan that hands out what it
    /// plans as it goes (a dry run's stream), which cannot start over. A shard's range needs that pass too.
    init(
        _ files: RemoteDataset.Files, filter: PathFilter, shard: Shard?, maxBytes: Int, checkOrderFirst: Bool = false,
        oneWindow forced: Bool = false
    ) throws(PhysioError) {
        self.files = files
        self.filter = filter
        self.shard = shard
        self.maxBytes = maxBytes
        switch files {
        case .crawled: isOneWindow = true
        case .checksumList(let list):
            isOneWindow = forced || list.count <= maxBytes
        }
        if !isOneWindow && (shard != nil || checkOrderFirst) {
            // One pass over the windows: the selection's size, and whether the windows keep path order.
            var selected = 0
            var cursor = windows()
            while let window = try cursor.next() { selected += window.files.count }
            if cursor.outOfOrder {
                isOneWindow = true
            } else if let shard {
                shardRange = Shard.boundaries(weights: repeatElement(Shard.costPerFile, count: selected), count: shard.count)[shard.index]
            }
        }
        if isOneWindow {
            switch files {
            case .crawled(let crawled): oneWindow = select(crawled, selectedBefore: 0)
            case .checksumList(let list): oneWindow = select(try FileList(checksumList: list.readAll()), selectedBefore: 0)
            }
        }
    }

    /// The same selection of the whole list as one window, for a list found out of path order.
    func asOneWindow() throws(PhysioError) -> ListSelection {
        try ListSelection(files, filter: filter, shard: shard, maxBytes: maxBytes, oneWindow: true)
    }

    /// The windows in order, each with its files selected.
    func windows() -> Cursor {
        Cursor(selection: self)
    }

    /// The files of the window at `place` again, selected as they were when it was planned.
    func files(at place: ListWindowPlace) throws(PhysioError) -> FileList {
        if let oneWindow { return oneWindow }
        switch files {
        case .crawled:
            throw .internalFailure("a crawled list is one window")
        case .checksumList(let list):
            let bytes = try list.read(place.bytes)
            return select(try FileList(checksumList: bytes, firstLine: place.firstLine), selectedBefore: place.selectedBefore)
        }
    }

    /// The filter, then the shard's part; one window is sorted here (a windowed list is sorted already).
    private func select(_ parsed: FileList, selectedBefore: Int) -> FileList {
        shardPart(of: filtered(parsed), selectedBefore: selectedBefore)
    }

    private func filtered(_ parsed: FileList) -> FileList {
        filter.includes.isEmpty && filter.excludes.isEmpty ? parsed : parsed.filter(filter.accepts)
    }

    private func shardPart(of files: FileList, selectedBefore: Int) -> FileList {
        guard isOneWindow else {
            guard let shardRange else { return files }
            let lower = min(files.count, max(0, shardRange.lowerBound - selectedBefore))
            let upper = min(files.count, max(lower, shardRange.upperBound - selectedBefore))
            return files.selecting(lower..<upper)
        }
        return shard.map { $0.select(files) } ?? files.sorted()
    }

    /// Hands out the windows in order, each read and parsed as it is reached.
    struct Cursor: Sendable {
        let selection: ListSelection
        private var offset = 0
        private var line = 0
        private var selectedBefore = 0
        private var done = false
        /// The last path of the window before, to hold the windows to path order.
        private var previousLast: DatasetPath?
        /// A window was not in path order after the one before: no more windows (`asOneWindow`).
        private(set) var outOfOrder = false

        init(selection: ListSelection) {
            self.selection = selection
        }

        mutating func next() throws(PhysioError) -> ListWindow? {
            guard !done else { return nil }
            if let oneWindow = selection.oneWindow {
                done = true
                return ListWindow(place: ListWindowPlace(bytes: 0..<0, firstLine: 0, selectedBefore: 0), files: oneWindow, lastPath: nil)
            }
            guard case .checksumList(let list) = selection.files else { throw .internalFailure("a crawled list is one window") }
            return try nextWindow(of: list)
        }

        private mutating func nextWindow(of list: ListBytes) throws(PhysioError) -> ListWindow? {
            guard offset < list.count else { return nil }
            var bytes = try list.read(offset..<offset + selection.maxBytes)
            let last = offset + bytes.count >= list.count
            if !last {
                // Whole lines only: the rest of the last one starts the next window.
                guard let newline = bytes.lastIndex(of: 0x0A) else {
                    throw .malformedChecksumList(line: line + 1, reason: "a line longer than \(selection.maxBytes >> 10) KiB")
                }
                bytes.removeSubrange((newline + 1)...)
            }
            let place = ListWindowPlace(bytes: offset..<offset + bytes.count, firstLine: line, selectedBefore: selectedBefore)
            let parsed = try FileList(checksumList: bytes, firstLine: line)
            line += bytes.withUnsafeBytes { all in
                var lines = 0
                var from = all.baseAddress!
                let end = from + all.count
                while from < end, let newline = memchr(from, 0x0A, end - from) {
                    lines += 1
                    from = UnsafeRawPointer(newline) + 1
                }
                return lines
            }
            offset += bytes.count
            done = last
            guard parsed.isSorted, previousLast.map({ parsed.isEmpty || parsed.compare(0, $0) > 0 }) ?? true else {
                (outOfOrder, done) = (true, true)
                return nil
            }
            let lastPath = parsed.isEmpty ? previousLast : parsed.path(parsed.count - 1)
            previousLast = lastPath
            let filtered = selection.filtered(parsed)
            let files = selection.shardPart(of: filtered, selectedBefore: selectedBefore)
            selectedBefore += filtered.count
            return ListWindow(place: place, files: files, lastPath: last ? nil : lastPath)
        }
    }
}

extension FileList {
    /// Byte order of the path at `index` against `path`.
    func compare(_ index: Int, _ path: DatasetPath) -> Int {
        var path = path.value
        return path.withUTF8 { compare(index, UnsafeRawBufferPointer($0)) }
    }
}
