// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for rapport's parsers, kept out of the root package so
// `swift build` and `swift test` there are unchanged. Build and run them
// with ./run.sh (see docs/FUZZING.md); each target is an executable whose
// `main` is libFuzzer's, so it must be built with `-sanitize=fuzzer`.
let package = Package(
    name: "rapport-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "rapport", path: ".."),
    ],
    targets: [
        // Starts libFuzzer's driver from the `main` SwiftPM links each executable with.
        .target(name: "FuzzSupport"),
        // ProtocolRequest.decode on each line LineSplitter cuts from the input.
        .executableTarget(
            name: "FuzzProtocolRequest",
            dependencies: ["FuzzSupport", .product(name: "RapportProtocol", package: "rapport")]
        ),
        // TranscriptParser.parse on the input as a .convo.txt file.
        .executableTarget(
            name: "FuzzTranscriptParser",
            dependencies: ["FuzzSupport", .product(name: "RapportTranscripts", package: "rapport")]
        ),
        // BotLoader.load on a bot folder: the input's files over a small valid bot.
        .executableTarget(
            name: "FuzzBotLoader",
            dependencies: ["FuzzSupport", .product(name: "RapportIntents", package: "rapport")]
        ),
        // EntityExtractor, built once from the bundled bot's entities, on the input as a message.
        .executableTarget(
            name: "FuzzEntityExtractor",
            dependencies: [
                "FuzzSupport",
                .product(name: "RapportCore", package: "rapport"),
                .product(name: "RapportIntents", package: "rapport"),
            ]
        ),
    ]
)
