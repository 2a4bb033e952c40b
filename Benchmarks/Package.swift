// swift-tools-version: 6.1
import PackageDescription

// Benchmarks that print figures, kept out of the root package so `swift test`
// there stays fast. Run from this folder:
//   swift run -c release EncoderBenchmark [ENCODER_DIR] [MESSAGES.csv]
// (docs/ENCODER.md, "Speed").
let package = Package(
    name: "rapport-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "rapport", path: ".."),
    ],
    targets: [
        // Encoding one message at a time on one thread: load time, median and tail latency.
        .executableTarget(
            name: "EncoderBenchmark",
            dependencies: [.product(name: "RapportEncoder", package: "rapport")]
        ),
    ]
)
