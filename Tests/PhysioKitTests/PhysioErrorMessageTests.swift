import Testing

@testable import PhysioKit

/// Messages read as sentences: never "..", and advice that fits the failure.
@Suite("PhysioError messages")
struct PhysioErrorMessageTests {
    @Test("a reason that ends in a full stop does not double it; an ellipsis and ../ stay")
    func noDoubledFullStop() {
        let error = PhysioError.invalidBaseURL("https://x", reason: "it has no host.")
        #expect(error.message == "The base URL https://x cannot be used: it has no host. Pass an https:// URL such as https://physionet.org.")
        #expect(!PhysioError.filesystem(path: "/x", detail: "Disk full.").message.contains(".."))
        #expect(PhysioError.usage("Wait...").message == "Wait...")
        #expect(PhysioError.usage("Look in ../data.").message == "Look in ../data.")
        for kind in [PhysioError.accessDenied(slug: "a", version: "1", detail: "refused."), .serverUnreachable(url: "u", detail: "gone.")] {
            #expect(!kind.message.contains(".."), "\(kind.message)")
        }
    }

    @Test("a write failure's advice tells a missing folder from a refused permission")
    func filesystemAdvice() {
        #expect(PhysioError.filesystem(path: "/x", detail: "No such file or directory").message.contains("does not exist"))
        #expect(PhysioError.filesystem(path: "/x", detail: "Not a directory").message.contains("does not exist or is a file"))
        let denied = PhysioError.filesystem(path: "/x", detail: "Permission denied").message
        #expect(denied.contains("Permission denied: make that folder writable"))
        #expect(!denied.contains("does not exist"))
        #expect(PhysioError.filesystem(path: "/x", detail: "No space left on device").message.contains("Free space"))
    }
}
