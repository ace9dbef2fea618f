import ArgumentParser
import Foundation
import PhysioKit

/// Which PhysioNet server to talk to.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "PhysioNet base URL (default: $PHYSIO_BASE_URL, else https://physionet.org).")
    var baseURL: String?

    @Flag(name: .long, help: "Allow plain http:// to a host other than loopback.")
    var allowInsecureHTTP = false

    func resolveBaseURL() throws(PhysioError) -> URL {
        try BaseURL.resolve(flag: baseURL, environment: ProcessInfo.processInfo.environment, allowInsecureHTTP: allowInsecureHTTP)
    }
}
