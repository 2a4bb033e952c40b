// swift-tools-version: 6.1
import PackageDescription

// The dependency direction is one way (see ARCHITECTURE.md):
//   RapportCore            <- imports nothing but Foundation
//   RapportIntents, RapportStore, RapportConsole, RapportProtocol <- import RapportCore
//   rapport (executable)   <- imports everything
let package = Package(
    name: "rapport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
        .library(name: "RapportCore", targets: ["RapportCore"]),
        // For the fuzz targets in Fuzz/, a package of their own.
        .library(name: "RapportIntents", targets: ["RapportIntents"]),
        .library(name: "RapportProtocol", targets: ["RapportProtocol"]),
        .library(name: "RapportTranscripts", targets: ["RapportTranscripts"]),
        // For the encoder benchmark in Benchmarks/, a package of its own.
        .library(name: "RapportEncoder", targets: ["RapportEncoder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The pure engine: matching, dialogue state, response rendering. No I/O.
        // Optimised even in a debug build (`-O` after SwiftPM's `-Onone`): its
        // loops (training the SVM, the hybrid's nearness to every example) are
        // most of what `swift test` and `swift run rapport` spend, and run
        // several times faster. The cost: lldb sees less inside it, and
        // rapport cannot be a remote package dependency (ARCHITECTURE.md).
        .target(name: "RapportCore", swiftSettings: optimisedEvenInDebug),
        // Reads and validates the bot's knowledge (intents/*.yaml).
        .target(
            name: "RapportIntents",
            dependencies: ["RapportCore", .product(name: "Yams", package: "Yams")]
        ),
        // The embedded SQLite store (GRDB) and an in-memory store for tests.
        .target(
            name: "RapportStore",
            dependencies: ["RapportCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The PostgreSQL store (postgres-nio), for rapport on more than one machine.
        .target(
            name: "RapportPostgres",
            dependencies: ["RapportCore", "RapportStore", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // Trained models saved on disk, so a bot is trained once, not at every start.
        .target(name: "RapportModelCache", dependencies: ["RapportCore", "RapportEncoder"]),
        // Writing to stdout and stderr without trapping when the reader has gone.
        .target(name: "RapportIO"),
        // GNU readline, as Debian's libreadline-dev installs it.
        .systemLibrary(
            name: "CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // zlib, for the deflated arrays in the sentence encoder's weights.npz.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The pretrained sentence encoder (USE multilingual v3): SentencePiece
        // tokenizer, weights reader, forward pass. Imports nothing of rapport.
        // Optimised even in a debug build, as RapportCore is.
        .target(name: "RapportEncoder", dependencies: ["CZlib", "CBLAS"], swiftSettings: optimisedEvenInDebug),
        // OpenBLAS, for the encoder's matrix products.
        .systemLibrary(
            name: "CBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Measuring the matcher: labelled CSV, scores, training time, latency.
        .target(name: "RapportEvaluation", dependencies: ["RapportCore"]),
        // Conversation tests: the .convo.txt format, the runner, recording, reports.
        .target(name: "RapportTranscripts", dependencies: ["RapportCore", "RapportStore", "RapportSessions"]),
        // The terminal front end: line reading, rendering, slash commands.
        .target(
            name: "RapportConsole",
            dependencies: ["RapportCore", "RapportStore", "RapportSessions", "RapportTranscripts", "RapportIO", "CReadline"]
        ),
        // Session lifecycle for every front end: start, turns, resuming, setting aside, ending.
        .target(name: "RapportSessions", dependencies: ["RapportCore", "RapportStore"]),
        // The line-based JSON front end for other transports.
        .target(name: "RapportProtocol", dependencies: ["RapportCore", "RapportStore", "RapportSessions", "RapportIO"]),
        .executableTarget(
            name: "rapport",
            dependencies: [
                "RapportCore", "RapportIntents", "RapportStore", "RapportPostgres", "RapportSessions", "RapportConsole", "RapportProtocol", "RapportTranscripts",
                "RapportIO", "RapportEvaluation", "RapportModelCache", "RapportEncoder",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "RapportCoreTests", dependencies: ["RapportCore", "RapportTestSupport"]),
        .testTarget(name: "RapportEncoderTests", dependencies: ["RapportEncoder", "RapportCore", "RapportEvaluation", "RapportTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RapportModelCacheTests", dependencies: ["RapportModelCache", "RapportCore"]),
        .testTarget(name: "RapportIntentsTests", dependencies: ["RapportIntents", "RapportCore"]),
        .testTarget(
            name: "RapportStoreTests",
            dependencies: ["RapportStore", "RapportCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The contract every store keeps, each test run against each store.
        .testTarget(name: "RapportStoreContractTests", dependencies: ["RapportStore", "RapportPostgres", "RapportCore"]),
        .testTarget(name: "RapportSessionsTests", dependencies: ["RapportSessions", "RapportStore", "RapportCore", "RapportTestSupport"]),
        .testTarget(name: "RapportConsoleTests", dependencies: ["RapportConsole", "RapportCore", "RapportTestSupport"]),
        .testTarget(name: "RapportEvaluationTests", dependencies: ["RapportEvaluation", "RapportCore", "RapportIntents"]),
        .testTarget(
            name: "RapportTranscriptsTests",
            dependencies: ["RapportTranscripts", "RapportCore", "RapportStore", "RapportIntents", "RapportTestSupport"]
        ),
        .testTarget(
            name: "RapportProtocolTests",
            dependencies: ["RapportProtocol", "RapportCore", "RapportStore", "RapportTestSupport"]
        ),
        // Runs the built `rapport` binary as a process (pipes and a pseudo-terminal).
        .testTarget(name: "RapportEndToEndTests", dependencies: ["rapport", "CPseudoTerminal", "RapportPostgres"]),
        // Fixtures the unit tests share: literal templates, a store that fails, the bundled lexicon.
        .target(name: "RapportTestSupport", dependencies: ["RapportCore", "RapportStore", "RapportIntents", "RapportEncoder"], path: "Tests/RapportTestSupport"),
        // posix_openpt for the terminal tests, which Swift's Glibc module hides.
        .target(name: "CPseudoTerminal", path: "Tests/CPseudoTerminal"),
    ]
)

/// `-O` after SwiftPM's `-Onone` in a debug build (the last one counts), and
/// nothing more in a release build, which is optimised already. SwiftPM
/// accepts unsafe flags in a root package and in a dependency by path (Fuzz/,
/// Benchmarks/), not in one fetched by URL: rapport is an application, and
/// integrators plug in through `rapport serve`, not as a Swift package.
var optimisedEvenInDebug: [SwiftSetting] { [.unsafeFlags(["-O"], .when(configuration: .debug))] }
