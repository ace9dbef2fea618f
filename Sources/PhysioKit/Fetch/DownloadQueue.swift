import FoundationEssentials

/// What a run transfers, window by window (`ListSelection`): each window's files still to fetch, by index
/// in its files, and the few facts the plan learnt about them. A window of a long list is parsed again
/// only when the workers reach it, so the run holds one window's files at a time and 4 bytes for every
/// file still queued.
struct DownloadQueue: Sendable {
    struct Window: Sendable {
        let place: ListWindowPlace
        /// The window's files when the plan kept them (a list of one window); else read again.
        var files: FileList?
        /// The files to fetch, by index in `files`; `nil`: every one of them.
        var queue: [UInt32]?
        /// Bytes already in the `.part` files of the few files that have one.
        var partials: [Int: Int64]
        /// Files that replace a different local copy (the server changed them, or the copy was changed).
        var replaced: Set<UInt32>
        /// Of those, what to keep of the copies they replace (`PreviousCopies`).
        var keeps: [UInt32: PreviousCopies.Kind] = [:]
        /// Sizes the inventory knew for files whose list gives none.
        var knownSizes: [(index: Int, size: Int64)]
    }

    /// Reads a window's files again; `nil` when every window kept its files.
    let selection: ListSelection?
    var windows: [Window]

    init(selection: ListSelection?, windows: [Window]) {
        self.selection = selection
        self.windows = windows
    }

    /// Takes every window's queue out of `planned`, which then holds only the plan's counts;
    /// `keepsReplaced`: physio's own bytes of files the server changed are kept too.
    init(planned: inout PlannedDownload, keepsReplaced: Bool) {
        selection = planned.selection
        windows = []
        for index in planned.windows.indices where planned.windows[index].queuesEveryFile || !planned.windows[index].plan.toDownload.isEmpty {
            let window = planned.windows[index]
            windows.append(Window(
                place: window.place, files: window.files, queue: window.queuesEveryFile ? nil : window.plan.toDownload,
                partials: window.plan.partials,
                replaced: Set(window.plan.replaced), keeps: PreviousCopies.kinds(of: window.plan, keepsReplaced: keepsReplaced),
                knownSizes: window.plan.knownSizes))
            planned.windows[index].plan.toDownload = []
            planned.windows[index].files = nil
        }
    }

    /// The window's files, as the plan saw them.
    static func files(of window: Window, selection: ListSelection?) throws(PhysioError) -> FileList {
        if let files = window.files { return files }
        guard let selection else { throw .internalFailure("a queued window without its files") }
        var files = try selection.files(at: window.place)
        for known in window.knownSizes { files.setSize(known.index, known.size) }
        return files
    }
}
