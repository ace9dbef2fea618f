import CPhysioShims

/// The allocator setting a physio process runs with; the executable applies it once at start (a library
/// embedded in another program leaves that program's allocator alone).
public enum MemoryTuning {
    /// A fixed mmap threshold for glibc's malloc. By default the threshold rises to the size of each large
    /// block freed (up to 32 MiB), so after the first, the 4 MiB windows of a long file list, the spool's
    /// parts and the checkpoint batches come from the heap, whose freed pages stay resident: a fresh fetch
    /// of 400,000 files peaked at 64 MiB with 17 MiB live (heaptrack), against 45 MiB with the threshold
    /// held at its default of 128 KiB (Benchmarks/RESULTS.md). Such blocks are few (one per window, part
    /// or buffer), so mapping each costs nothing measurable.
    public static func applyForCommandLine() {
        _ = physio_fix_mmap_threshold(128 << 10)
    }
}
