import Glibc

/// printf-style formatting of numbers (`%.1f`, `%02d`, `%04X`) through the C library. Foundation's
/// `String(format:)` would do the same, but it lives in the full Foundation module, which brings ICU and its
/// data (about 40 MB) into a statically linked release binary; physio imports `FoundationEssentials` only.
/// Strings are interpolated by the callers: `%@` and `%s` of Swift strings are not supported here.
public enum PrintfFormat {
    public static func string(_ format: String, _ arguments: any CVarArg...) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 128)
            let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
            guard needed >= buffer.count else { return String(decoding: buffer.prefix(max(0, needed)).map(UInt8.init(bitPattern:)), as: UTF8.self) }
            // Longer than any number physio prints; formatted again into a buffer of the size asked for.
            buffer = [CChar](repeating: 0, count: needed + 1)
            return withVaList(arguments) { again in
                _ = vsnprintf(&buffer, buffer.count, format, again)
                return String(decoding: buffer.prefix(needed).map(UInt8.init(bitPattern:)), as: UTF8.self)
            }
        }
    }
}
