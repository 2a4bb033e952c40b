import ArgumentParser

@main
struct Rapport: ParsableCommand {
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
}
