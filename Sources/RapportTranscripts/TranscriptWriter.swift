import Foundation
import RapportCore

/// Writes a live conversation as a transcript, in the format `rapport test`
/// reads, ready to become a regression test: every reply exactly as said,
/// with the intent each turn matched.
public struct TranscriptRecorder: Sendable {
    public var title: String
    /// Lines under the title saying what the transcript is about.
    public var description = ""
    public var settings: Transcript.Settings
    private var blocks: [String] = []

    public init(title: String, settings: Transcript.Settings) {
        self.title = title
        self.settings = settings
    }

    /// Adds what the customer said (nil for the conversation's opening) and the outcome.
    public mutating func record(customer text: String?, outcome: TurnOutcome) {
        if let text { blocks.append("#me\n\(text)") }
        for (index, reply) in outcome.replies.enumerated() where !reply.isEmpty {
            var block = "#bot\n\(Self.literal(reply))"
            if index == 0, let understanding = outcome.understanding {
                // A message that answered one of the bot's own questions raised no "did you mean?".
                if case .ambiguous(let first, let second) = understanding.decision, understanding.answers == nil {
                    block += "\nCLARIFY \(first.intent) \(second.intent)"
                } else {
                    block += "\nINTENT \(understanding.turnIntent ?? "none")"
                }
                for entity in understanding.entities { block += "\nENTITY \(entity.entity) \(entity.value)" }
            }
            if index == outcome.replies.count - 1 {
                if !outcome.quickReplies.isEmpty {
                    block += "\nBUTTONS " + outcome.quickReplies.map(\.title).joined(separator: " | ")
                }
                for event in TranscriptRunner.events(of: outcome) { block += "\nEVENT \(event)" }
            }
            blocks.append(block)
        }
    }

    /// The whole transcript so far.
    public var text: String {
        let formatter = ISO8601DateFormatter()
        var out = "---\ncustomer: \(settings.customer)\nseed: \(settings.seed)\nclock: \(formatter.string(from: settings.clock))\n"
        out += settings.customerSetup.frontMatter.map { $0 + "\n" }.joined()
        if let matcher = settings.matcher { out += "matcher: \(matcher)\n" }
        out += "---\n"
        out += title + "\n" + (description.isEmpty ? "" : description + "\n") + "\n"
        out += blocks.joined(separator: "\n\n") + "\n"
        return out
    }

    /// A reply as a pattern that matches exactly that reply. A `*` in it still
    /// matches itself; a start that would read as something else (`!`, `/`, a
    /// `#block`, an upper-case assertion word) gets a `*` in front, which
    /// matches nothing there.
    static func literal(_ reply: String) -> String {
        let text = TextPattern.collapse(reply)
        let firstWord = text.split(separator: " ").first.map(String.init) ?? ""
        if text.hasPrefix("!") || text.hasPrefix("/") {
            return "*" + text.dropFirst()
        }
        if text.hasPrefix("#") || (firstWord.count >= 4 && firstWord.allSatisfy { $0.isUppercase || $0 == "_" }) {
            return "*" + text
        }
        return text
    }
}
