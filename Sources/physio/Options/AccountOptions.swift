import ArgumentParser
import Foundation
import PhysioKit

extension ConnectionOptions {
    /// The account context (site, saved login, cookie jar, transport) for this invocation.
    func openSession() throws -> AccountSession {
        let baseURL = try resolveBaseURL()
        return try AccountSession.live(baseURL: baseURL, allowInsecureHTTP: allowInsecureHTTP, proxy: proxy, caFile: cacert)
    }
}

/// Resolves `<slug>` to its latest version through the server, leaves `<slug>@<version>` as given.
func resolveVersion(_ specifier: DatasetSpecifier, session: AccountSession) async throws -> String {
    if let version = specifier.version { return version }
    return try await FetchEngine.latestVersion(of: specifier.slug, transport: session.transport, site: session.site)
}
