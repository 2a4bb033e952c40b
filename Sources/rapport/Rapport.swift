import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct Rapport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "A customer-service chatbot and console.",
        discussion: """
            With no subcommand, rapport opens the chat console on the bundled bot.
            Bad input never gives a stack trace: errors are one line on standard
            error and exit status 1.
            """,
        subcommands: [ChatCommand.self, ServeCommand.self, TestCommand.self, TrainCommand.self, EvalCommand.self, ReportCommand.self, FeedbackCommand.self],
        defaultSubcommand: ChatCommand.self
    )

    static func main() async {
        // OpenBLAS, opened when the sentence encoder is built, starts a thread per core as it opens
        // unless told otherwise, and they spin a while: the encoder multiplies on one thread. Set
        // here, before rapport starts any thread of its own (setenv is not safe beside one); a value
        // the user set is kept.
        setenv("OPENBLAS_NUM_THREADS", "1", 0)
        await main(nil)
    }
}
