import Foundation
import PhysioKit
import PhysioSimulator
import Testing

/// The networks users actually have: an institutional proxy (tinyproxy, with and without its own
/// authentication) and a TLS front signed by a private certificate authority (nginx on loopback, a
/// throwaway CA made with openssl), which is also the real HTTPS side of PhysioNet's Basic rule.
@Suite("networks: proxies and custom CAs", .serialized, .timeLimit(.minutes(3)))
struct NetworkTests {
    static func proxy(_ workspace: Workspace, authenticated: Bool) async throws -> LoopbackServer {
        let config = """
            Port @PORT@
            Listen 127.0.0.1
            Timeout 30
            MaxClients 20
            LogFile "@DIR@/proxy.log"
            LogLevel Connect
            Allow 127.0.0.1
            DisableViaHeader Yes
            \(authenticated ? "BasicAuth proxyuser Proxy-Secret-9" : "")
            """
        return try await LoopbackServer(
            executable: "tinyproxy", arguments: ["-d", "-c", "@DIR@/server.conf"], config: config,
            directory: workspace.directory.appendingPathComponent("proxy"))
    }

    @Test("through a proxy: --proxy or http_proxy, every request a CONNECT tunnel, nothing else reaches the proxy")
    func throughProxy() async throws {
        try await withWorkspace { workspace in
            let proxy = try await Self.proxy(workspace, authenticated: false)
            defer { proxy.stop() }
            let viaFlag = try await workspace.physio(
                "fetch", "mimiciii@1.4", "--proxy", "http://127.0.0.1:\(proxy.port)", "--quiet",
                extraEnvironment: AccountTests.credentials("credentialed"))
            #expect(viaFlag.exitCode == 0, "stderr: \(viaFlag.stderr)")
            let served = workspace.server.counters.requests.count
            let log = proxy.log("proxy.log")
            let tunnels = log.components(separatedBy: "CONNECT 127.0.0.1:\(workspace.baseURL.port!)").count - 1
            #expect(tunnels >= 1 && tunnels <= served, "requests went through the proxy as tunnels")
            #expect(!log.contains("GET "), "the proxy never sees a request line, cookie or password")

            let viaEnvironment = try await workspace.physio(
                "fetch", "mimic-iv-demo-omop@0.9", "--quiet", extraEnvironment: ["http_proxy": "http://127.0.0.1:\(proxy.port)"])
            #expect(viaEnvironment.exitCode == 0, "stderr: \(viaEnvironment.stderr)")
            #expect(proxy.log("proxy.log").components(separatedBy: "CONNECT").count - 1 > tunnels)
        }
    }

    @Test("a proxy that wants credentials: refused without them (exit 4, says so), served with them from the environment; never from argv")
    func authenticatedProxy() async throws {
        try await withWorkspace { workspace in
            let proxy = try await Self.proxy(workspace, authenticated: true)
            defer { proxy.stop() }
            let refused = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--proxy", "http://127.0.0.1:\(proxy.port)", "--quiet")
            #expect(refused.exitCode == 4, "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains("proxy"))
            #expect(refused.stderr.contains("HTTPS_PROXY"))

            let served = try await workspace.physio(
                "fetch", "mimic-iv-demo-omop@0.9", "--quiet",
                extraEnvironment: ["http_proxy": "http://proxyuser:Proxy-Secret-9@127.0.0.1:\(proxy.port)"])
            #expect(served.exitCode == 0, "stderr: \(served.stderr)")
            #expect(!served.allOutput.contains("Proxy-Secret-9"))

            let inArgv = try await workspace.physio(
                "fetch", "mimic-iv-demo-omop@0.9", "--proxy", "http://proxyuser:Proxy-Secret-9@127.0.0.1:\(proxy.port)")
            #expect(inArgv.exitCode == 2)
            #expect(inArgv.stderr.contains("HTTPS_PROXY"))
            #expect(!inArgv.stderr.contains("Proxy-Secret-9"))
        }
    }

    /// A throwaway CA and a certificate for 127.0.0.1 signed by it.
    static func makeCertificates(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: folder.appendingPathComponent("ext.cnf"), atomically: true, encoding: .utf8)
        for arguments in [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=physio test CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
             "-days", "2", "-extfile", "ext.cnf"],
        ] {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = arguments
            openssl.currentDirectoryURL = folder
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            #expect(openssl.terminationStatus == 0, "openssl \(arguments.joined(separator: " "))")
        }
    }

    /// nginx terminating TLS in front of the simulator, telling it the scheme as production nginx does.
    static func tlsFront(_ workspace: Workspace) async throws -> LoopbackServer {
        let directory = workspace.directory.appendingPathComponent("tls")
        try makeCertificates(in: directory)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        let config = LoopbackServer.nginxConfig(server: """
              server {
                listen 127.0.0.1:@PORT@ ssl;
                ssl_certificate @DIR@/server.pem;
                ssl_certificate_key @DIR@/server.key;
                location / {
                  proxy_pass http://127.0.0.1:\(workspace.baseURL.port!);
                  proxy_set_header Host $host:$server_port;
                  proxy_set_header X-Forwarded-Proto https;
                  proxy_http_version 1.1;
                  proxy_buffering off;
                }
              }
            """)
        return try await LoopbackServer(
            executable: "nginx", arguments: ["-c", "@DIR@/server.conf", "-p", "@DIR@"], config: config, directory: directory)
    }

    @Test("a private CA: refused with a message naming --cacert (exit 4); trusted with --cacert or SSL_CERT_FILE; Basic works over real HTTPS")
    func customCertificateAuthority() async throws {
        try await withWorkspace { workspace in
            let front = try await Self.tlsFront(workspace)
            defer { front.stop() }
            let base = "https://127.0.0.1:\(front.port)"
            let ca = front.directory.appendingPathComponent("ca.pem").path

            let untrusted = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--base-url", base, "--quiet")
            #expect(untrusted.exitCode == 4, "stderr: \(untrusted.stderr)")
            #expect(untrusted.stderr.contains("--cacert"))
            #expect(untrusted.stderr.contains("the system store"), "says which authorities it trusted")

            let flag = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--base-url", base, "--cacert", ca, "--quiet")
            #expect(flag.exitCode == 0, "stderr: \(flag.stderr)")

            // Over real HTTPS the server honours Basic for a Wget/ agent, and the CA comes from the environment.
            let basic = try await workspace.physio(
                "fetch", "mimiciii@1.4", "--base-url", base, "--auth", "wget-basic", "--quiet",
                extraEnvironment: AccountTests.credentials("credentialed").merging(["SSL_CERT_FILE": ca]) { $1 })
            #expect(basic.exitCode == 0, "stderr: \(basic.stderr)")
            #expect(workspace.server.counters.passwordChecks == 1)

            let missing = try await workspace.physio("fetch", "mimic-iv-demo-omop@0.9", "--base-url", base, "--cacert", "/nonexistent.pem")
            #expect(missing.exitCode == 2)
            #expect(missing.stderr.contains("--cacert /nonexistent.pem cannot be read"))
        }
    }
}
