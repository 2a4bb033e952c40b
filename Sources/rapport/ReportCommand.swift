import ArgumentParser
import Foundation
import RapportCore
import RapportIO
import RapportConsole
import RapportStore

/// Options for commands that only read the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database to read: a SQLite file, or a PostgreSQL database (postgres://user@host:5432/db).",
        discussion: "Default: $RAPPORT_DATABASE_URL, else $XDG_DATA_HOME/rapport/rapport.sqlite (~/.local/share/rapport/rapport.sqlite).",
        valueName: "PATH|URL"))
    var db: String?

    @Option(help: ArgumentHelp("Only what happened on or after this day (YYYY-MM-DD, UTC).", valueName: "DATE"))
    var since: String?

    @Option(help: ArgumentHelp("Only what happened before this day (YYYY-MM-DD, UTC).", valueName: "DATE"))
    var until: String?

    /// The period asked for, or what was wrong with it.
    func period() throws(CommandFailure) -> (since: Date?, until: Date?) {
        func day(_ text: String?, option: String) throws(CommandFailure) -> Date? {
            guard let text else { return nil }
            guard let date = ReportText.dayFormatter().date(from: text) else {
                throw CommandFailure(lines: ["--\(option) \(text): not a day; write it like 2026-11-23"])
            }
            return date
        }
        let range = (try day(since, option: "since"), try day(until, option: "until"))
        if let from = range.0, let to = range.1, to <= from {
            throw CommandFailure(lines: ["--until \(until ?? "") is not after --since \(since ?? ""): the period is empty"])
        }
        return range
    }

    /// The store and the period asked for, or what to fix.
    func open(environment: [String: String]) async throws(CommandFailure) -> (store: any ConversationStore, since: Date?, until: Date?) {
        let (from, to) = try period()
        let location: StoreLocation
        do {
            location = try StoreLocation(db, environment: environment)
        } catch {
            throw CommandFailure(lines: ["no database: HOME is not set; pass --db PATH"])
        }
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw CommandFailure(lines: ["\(path): no database here yet; chat with the bot first, or pass --db PATH"])
        }
        return (try await location.open(), from, to)
    }

    /// Reads from the store, or says what went wrong.
    func read<T>(_ body: (any ConversationStore, Date?, Date?) async throws(StoreError) -> T) async throws(CommandFailure) -> T {
        let (store, since, until) = try await open(environment: ProcessInfo.processInfo.environment)
        do {
            return try await body(store, since, until)
        } catch {
            throw CommandFailure(lines: [error.description])
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Satisfaction and where the bot falls short, for support staff.",
        discussion: """
            CSAT (share of 4 and 5), NPS, how service compared with expectations, CSAT and
            volume per intent (worst first), containment, fallback rate, handoffs, the
            ladder of loyalty, and the messages the bot most often did not understand
            (contact and card details masked). See docs/FEEDBACK.md.
            """
    )

    @OptionGroup var options: DatabaseOptions

    @Option(help: "text (a readable table) or json (one object, for machines).")
    var format: OutputFormat = .text

    func run() async throws {
        let report: SatisfactionReport
        do {
            // The store adds the figures up (in SQL): the report never loads every turn.
            report = try await options.read { store, since, until throws(StoreError) in
                SatisfactionReport(figures: try await store.reportFigures(since: since, until: until), since: since, until: until)
            }
        } catch {
            throw error.report()
        }
        OutputStream.standardOutput.write(format == .json ? ReportText.json(report) + "\n" : ReportText.text(report))
    }
}

struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Work with stored satisfaction feedback.",
        subcommands: [FeedbackExportCommand.self]
    )
}

struct FeedbackExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every feedback record out, oldest first, as CSV or JSON lines.",
        discussion: "Columns: at, customer, session, intent, score, expectation, recommend, comment (masked when stored)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @OptionGroup var options: DatabaseOptions

    @Option(help: "csv (with a header row) or jsonl (one JSON object per line).")
    var format: Format = .csv

    func run() async throws {
        let feedback: [FeedbackRecord]
        do {
            feedback = try await options.read { store, since, until throws(StoreError) in try await store.feedback(since: since, until: until) }
        } catch {
            throw error.report()
        }
        let out = format == .csv ? ReportText.csv(feedback) : ReportText.jsonLines(feedback)
        OutputStream.standardOutput.write(out)
    }
}

/// How reports and exports are written. Pure, so tests check the exact text.
enum ReportText {
    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a"
    }

    /// Days as the options take them and the report shows them: YYYY-MM-DD in UTC.
    static func dayFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }

    static func day(_ date: Date) -> String {
        dayFormatter().string(from: date)
    }

    static func text(_ report: SatisfactionReport) -> String {
        var out: [String] = []
        let period = (report.since.map(day) ?? "the beginning") + " to " + (report.until.map { "before " + day($0) } ?? "now")
        out.append("Satisfaction report, \(period)")
        out.append("")
        out.append("Conversations      \(report.conversations)")
        out.append("Customer messages  \(report.customerMessages)")
        out.append("Feedback           \(report.feedbackCount)")
        out.append("CSAT (4 and 5)     \(percent(report.csat))" + (report.averageScore.map { String(format: "  (average %.1f of 5)", $0) } ?? ""))
        out.append("NPS                " + (report.nps.map { String(format: "%+.0f", $0) } ?? "n/a")
                   + (report.nps == nil ? "" : "  (\(report.promoters) promoters, \(report.passives) passives, \(report.detractors) detractors)"))
        let expectations = AgainstExpectations.allCases.map { "\($0.satisfaction) \(report.expectations[$0] ?? 0)" }
        out.append("Expectations       " + expectations.joined(separator: ", ") + "  (below, met, above)")
        out.append("Containment        \(percent(report.containment))  (conversations without a person)")
        let handoffs = report.handoffs.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
        out.append("Handoffs           \(report.handoffs.values.reduce(0, +))" + (handoffs.isEmpty ? "" : "  (" + handoffs.joined(separator: ", ") + ")"))
        out.append("Fallback rate      \(percent(report.fallbackRate))  (messages not understood)")
        out.append("")
        out.append("Intents, worst satisfaction first")
        out.append("  intent                    answered  rated  CSAT")
        for line in report.intents {
            out.append("  " + line.intent.padding(toLength: 24, withPad: " ", startingAt: 0)
                       + String(format: "%10d %6d  ", line.answered, line.ratings) + percent(line.csat))
        }
        if report.intents.isEmpty { out.append("  (none)") }
        out.append("")
        out.append("Ladder of loyalty (all customers)")
        out.append("  " + LoyaltyStage.allCases.map { "\($0.rawValue) \(report.ladder[$0] ?? 0)" }.joined(separator: ", "))
        out.append("  Quadrants: \(SatisfactionReport.quadrantsUnavailable)")
        out.append("")
        out.append("Not understood most often (for review)")
        for item in report.unmatched { out.append(String(format: "  %4d  ", item.count) + TerminalText.sanitized(item.text)) }
        if report.unmatched.isEmpty { out.append("  (none)") }
        return out.joined(separator: "\n") + "\n"
    }

    static func json(_ report: SatisfactionReport) -> String {
        func number(_ value: Double?) -> Any { value.map { ($0 * 1000).rounded() / 1000 } ?? NSNull() }
        let object: [String: Any] = [
            "since": report.since.map(day) ?? NSNull(), "until": report.until.map(day) ?? NSNull(),
            "conversations": report.conversations, "customer_messages": report.customerMessages,
            "feedback": report.feedbackCount, "csat": number(report.csat), "average_score": number(report.averageScore),
            "nps": number(report.nps), "promoters": report.promoters, "passives": report.passives, "detractors": report.detractors,
            "expectations": Dictionary(uniqueKeysWithValues: AgainstExpectations.allCases.map { ($0.rawValue, report.expectations[$0] ?? 0) }),
            "containment": number(report.containment), "fallback_rate": number(report.fallbackRate),
            "handoffs": report.handoffs,
            "intents": report.intents.map { ["intent": $0.intent, "answered": $0.answered, "ratings": $0.ratings, "csat": number($0.csat)] as [String: Any] },
            "ladder": Dictionary(uniqueKeysWithValues: LoyaltyStage.allCases.map { ($0.rawValue, report.ladder[$0] ?? 0) }),
            "quadrants": NSNull(), "quadrants_note": SatisfactionReport.quadrantsUnavailable,
            "unmatched": report.unmatched.map { ["text": $0.text, "count": $0.count] as [String: Any] },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static let exportColumns = ["at", "customer", "session", "intent", "score", "expectation", "recommend", "comment"]

    private static func fields(_ record: FeedbackRecord) -> [String] {
        [ISO8601DateFormatter().string(from: record.at), record.customerID, record.sessionID, record.intent ?? "",
         String(record.score), record.expectation?.rawValue ?? "", record.recommend.map(String.init) ?? "", record.comment ?? ""]
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes
    /// doubled. A field a spreadsheet would run as a formula (=, +, -, @ first)
    /// gets a leading apostrophe.
    static func csv(_ records: [FeedbackRecord]) -> String {
        func quoted(_ raw: String) -> String {
            let field = raw.first.map { "=+-@".contains($0) } == true ? "'" + raw : raw
            let special = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            return special ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        let rows = [exportColumns] + records.map(fields)
        return rows.map { $0.map(quoted).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func jsonLines(_ records: [FeedbackRecord]) -> String {
        records.map { record in
            var object: [String: Any] = [:]
            for (key, value) in zip(exportColumns, fields(record)) {
                if key == "score" { object[key] = record.score } else if key == "recommend" {
                    object[key] = record.recommend ?? NSNull()
                } else { object[key] = value.isEmpty && key != "customer" && key != "session" ? NSNull() : value }
            }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }.joined()
    }
}
