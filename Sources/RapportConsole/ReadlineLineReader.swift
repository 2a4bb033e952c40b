import CReadline
import RapportIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The words Tab completes at the start of a line. Readline's completion
/// callbacks are C function pointers that cannot capture, so they read this.
nonisolated(unsafe) private var completionWords: [String] = []
nonisolated(unsafe) private var completionIndex = 0

/// Reads lines with GNU readline: line editing, history across runs, Tab
/// completion of slash commands, and Ctrl-C abandoning the line.
///
/// Uses readline's callback interface with our own poll() loop, because the
/// blocking `readline()` cannot be made to give up a line on SIGINT without
/// longjmp.
public struct ReadlineLineReader: LineReader {
    public var isInteractive: Bool { true }

    private let historyPath: String?
    private let historyLimit: Int
    private var lastHistoryEntry: String?
    /// Told once when history cannot be saved, so the customer knows recall will not last.
    private let reportHistoryProblem: (String) -> Void
    private var historyProblemReported = false

    /// - Parameters:
    ///   - historyPath: the per-user history file, created if missing; nil keeps history in memory only.
    ///   - historyLimit: the most lines kept, in memory and in the file.
    ///   - completions: what Tab completes at the start of a line (the slash commands).
    ///   - reportHistoryProblem: where to say, once, that history cannot be saved.
    public init(
        historyPath: String?, historyLimit: Int = 1000, completions: [String],
        reportHistoryProblem: @escaping (String) -> Void = { OutputStream.standardError.write($0) }
    ) {
        self.historyPath = historyPath
        self.historyLimit = max(1, historyLimit)
        self.reportHistoryProblem = reportHistoryProblem
        completionWords = completions.sorted()
        rapport_rl_set_name("rapport")
        rapport_rl_leave_signals_to_caller()
        rapport_rl_set_completion(completeAtLineStart)
        _ = rapport_install_signal_handlers()
        using_history()
        stifle_history(Int32(self.historyLimit))
        if let historyPath {
            Self.createFolder(for: historyPath)
            // A missing file is the normal first run; a failure to write shows when a line is saved.
            _ = read_history(historyPath)
            _ = history_truncate_file(historyPath, Int32(self.historyLimit))
            let count = rapport_history_length()
            if count > 0, let entry = history_get(rapport_history_base() + count - 1), let text = entry.pointee.line {
                lastHistoryEntry = String(cString: text)
            }
        }
    }

    public mutating func readLine(prompt: String) -> LineInput {
        // A Ctrl-C from before this prompt (while the bot was answering) is stale.
        _ = rapport_take_interrupt()
        rapport_drain_wake()
        rapport_begin_line(prompt)
        while true {
            var descriptors = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: rapport_wake_descriptor(), events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, -1)
            if descriptors[1].revents != 0 { rapport_drain_wake() }
            if rapport_was_terminated() != 0 {
                // Give the terminal back as it was, then leave like Ctrl-D.
                rapport_abandon_line()
                writeToTerminal("\n")
                return .endOfInput
            }
            if rapport_take_interrupt() != 0 {
                // Before abandoning: tearing down the line returns the cursor to column 0.
                writeToTerminal("^C\n")
                rapport_abandon_line()
                return .interrupted
            }
            if rapport_take_resize() != 0 { rl_resize_terminal() }
            if ready < 0 {
                if errno == EINTR { continue }
                rl_callback_handler_remove()
                return .endOfInput
            }
            guard descriptors[0].revents != 0 else { continue }
            rl_callback_read_char()
            switch rapport_line_status() {
            case 1:
                guard let pointer = rapport_take_line() else { return .endOfInput }
                let line = String(cString: pointer)
                free(pointer)
                remember(line)
                return .line(line)
            case 2:
                // Ctrl-D: readline has already moved off the prompt line.
                return .endOfInput
            default:
                continue
            }
        }
    }

    /// Adds a line to history and appends it to the file at once, so a crash
    /// or a closed terminal loses nothing that was typed; then trims the file
    /// to the limit, so it never grows past it.
    private mutating func remember(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace), line != lastHistoryEntry else { return }
        add_history(line)
        lastHistoryEntry = line
        guard let historyPath else { return }
        var status = append_history(1, historyPath)
        if status != 0 { status = write_history(historyPath) } // no file yet
        if status == 0 { status = history_truncate_file(historyPath, Int32(historyLimit)) }
        if status != 0 && !historyProblemReported {
            historyProblemReported = true
            reportHistoryProblem("rapport: warning: \(historyPath): history cannot be saved (\(String(cString: strerror(status)))); lines will not be recalled in the next run\n")
        }
    }

    private static func createFolder(for path: String) {
        var folder = ""
        for component in path.split(separator: "/").dropLast() {
            folder += "/" + component
            mkdir(folder, 0o700)
        }
    }
}

/// Completes slash commands at the start of the line, and nothing else: no
/// file names, which readline would offer by default.
private func completeAtLineStart(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    rapport_rl_completion_over()
    guard start == 0, let text, text.pointee == CChar(UInt8(ascii: "/")) else { return nil }
    return rl_completion_matches(text, nextCompletion)
}

private func nextCompletion(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 { completionIndex = 0 }
    let prefix = text.map { String(cString: $0) } ?? ""
    while completionIndex < completionWords.count {
        let word = completionWords[completionIndex]
        completionIndex += 1
        if word.hasPrefix(prefix) { return strdup(word) }
    }
    return nil
}

/// Writes straight to the terminal, unbuffered, so it lands in order with readline's own output.
func writeToTerminal(_ text: String) {
    OutputStream.standardOutput.write(text)
}
