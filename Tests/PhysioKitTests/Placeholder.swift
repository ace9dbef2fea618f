import Testing
import Foundation
@testable import PhysioKit

@Test func debugGet() async throws {
    let t = CurlTransport()
    let r = try await t.send(HTTPRequest(url: URL(string: "http://127.0.0.1:18080/files/mimiciii-demo/1.4/LICENSE.txt")!))
    print("STATUS", r.status, r.headers.fields.count, r.body.count)
}
