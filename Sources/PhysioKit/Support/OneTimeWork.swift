/// Runs a piece of async work once; callers that arrive while it runs wait for it, later ones return at once.
actor OneTimeWork {
    private var work: Task<Void, Never>?

    func run(_ body: @escaping @Sendable () async -> Void) async {
        if work == nil { work = Task { await body() } }
        await work?.value
    }
}
