// swift-tools-version:6.1
// physio: PhysioNet access and download manager, on libcurl and OpenSSL.
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]
// What ships in `physio` imports FoundationEssentials, never full Foundation (which brings ICU: a 60 MB static
// binary instead of 18 MB). A file there sees only the members of modules it imports itself: otherwise full
// Foundation's String and FileManager extensions leak in through TOMLKit, and one call to them links it all.
let shippedSwift = strictSwift + [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "physio",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PhysioKit", targets: ["PhysioKit"]),
        .executable(name: "physio", targets: ["physio"]),
        .executable(name: "physionet-sim", targets: ["physionet-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // The simulator's server stack; `physio` itself never links it.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0", traits: []),
        // Already in the graph through Hummingbird; named so the simulator's connection handler can import NIOCore.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        // physio.toml and physio.lock: TOML read by a maintained parser (toml++ underneath), not one of ours.
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // libcurl (apt: libcurl4-openssl-dev) and OpenSSL's libcrypto (apt: libssl-dev).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // SQLite (apt: libsqlite3-dev) for the inventory: the C API directly, as with curl, so a run of a million
        // rows pays for no layer it does not use.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Non-variadic wrappers for curl_easy_setopt/curl_multi_setopt, SHA-256 over EVP, and the few Linux calls
        // Swift's Glibc module lacks (syncfs, O_TMPFILE, O_DIRECT, sync_file_range, statfs, mallopt): nothing more.
        .target(name: "CPhysioShims", dependencies: ["CCurl", "CLibCrypto"]),
        .target(
            name: "PhysioKit",
            dependencies: [
                "CPhysioShims", "CCurl", "CSQLite",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: shippedSwift
        ),
        .executableTarget(
            name: "physio",
            dependencies: [
                "PhysioKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: shippedSwift
        ),
        .target(
            name: "PhysioSimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // For the one SHA-256 wrapper (the simulator hashes the files it generates); `physio` still
                // never links the simulator.
                "PhysioKit",
            ],
            swiftSettings: strictSwift
        ),
        // Throughput benchmark for the SHA-256 hasher (Benchmarks/sha256.sh); not shipped.
        .executableTarget(
            name: "physio-bench",
            dependencies: ["PhysioKit"],
            path: "Benchmarks/physio-bench",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "physionet-sim",
            dependencies: [
                "PhysioSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "PhysioKitTests",
            dependencies: ["PhysioKit"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "PhysioSimulatorTests",
            dependencies: ["PhysioSimulator", "PhysioKit"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "PhysioEndToEndTests",
            dependencies: ["PhysioSimulator", "PhysioKit"],
            swiftSettings: strictSwift
        ),
    ],
    swiftLanguageModes: [.v6]
)
