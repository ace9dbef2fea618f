import CPhysioShims

/// SHA-256 over OpenSSL (through the package's C shim), for generated `SHA256SUMS.txt` files.
struct SHA256 {
    private let context: UnsafeMutableRawPointer

    init() {
        guard let context = physio_sha256_new() else { fatalError("OpenSSL could not allocate a SHA-256 context") }
        self.context = context
    }

    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = physio_sha256_update(context, $0.baseAddress, $0.count) }
    }

    /// Finishes; the shim frees the context, so the value must not be used afterwards.
    func finishHex() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        _ = physio_sha256_finish(context, &digest)
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
