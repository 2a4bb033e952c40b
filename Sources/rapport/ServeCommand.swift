import ArgumentParser
import Foundation
import RapportCore
import RapportIO
import RapportProtocol
import RapportStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the bot over stdin/stdout, one JSON object per line, for other chat transports.",
        discussion: """
            Prints a "ready" line, then answers each request line with exactly one
            line. Many sessions interleave on one stream. Bad lines get an "error"
            line with a stable code, and serving goes on. Logs go to stderr only.
            End of input exits with status 0; SIGTERM answers the lines in hand, then
            exits. The protocol is specified in docs/PROTOCOL.md.
              echo '{"session":"s1","text":"where is my order"}' | rapport serve
            """
    )

    @OptionGroup var engine: EngineOptions

    @Option(help: ArgumentHelp(
        "Seed for reply variants; each session's seed follows from it and the session id.",
        valueName: "N"))
    var seed: UInt64?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let (engine, store) = try await self.engine.openOrExit(environment: environment, log: logToStandardError)
        let server = ProtocolServer(
            engine: engine, store: store, seed: seed ?? UInt64.random(in: .min ... .max), clock: Date.init
        )
        let status = await StdioServer.run(server) { line in
            OutputStream.standardError.write(line + "\n")
        }
        if status != 0 { throw ExitCode(status) }
    }
}
