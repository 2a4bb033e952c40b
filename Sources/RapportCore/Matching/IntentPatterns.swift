import Foundation

/// A phrasing that must always win, declared on an intent: `/regex/` is
/// searched in the message with case and accents folded; anything else is a
/// wildcard pattern matched against the message's normalised words, with `*`
/// standing for any words (`good morning*`).
public struct IntentPattern: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case regex(String)
        case wildcard(String)
    }

    public var kind: Kind
    public var location: SourceLocation?

    /// Reads a pattern as written in intents/; fails with the reason on a
    /// regular expression that does not compile or a wildcard with no words.
    public init(parsing written: String, location: SourceLocation? = nil) throws(PatternError) {
        self.location = location
        let text = written.trimmingCharacters(in: .whitespaces)
        if text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") {
            let source = String(text.dropFirst().dropLast())
            do {
                _ = try PatternMatcher.compile(source)
            } catch {
                throw PatternError(message: "'\(text)' is not a valid regular expression (\(error.localizedDescription))")
            }
            kind = .regex(source)
        } else {
            let words = text.split(separator: "*", omittingEmptySubsequences: false)
                .map { TextNormalizer.tokens(String($0)).joined(separator: " ") }
            guard words.contains(where: { !$0.isEmpty }) else {
                throw PatternError(message: "'\(text)' has no words to match; write a phrase, with * for any words")
            }
            kind = .wildcard(words.joined(separator: "*"))
        }
    }
}

public struct PatternError: Error, Hashable, Sendable {
    public var message: String
}

/// The patterns of a bot, compiled once, checked in the order the intents
/// are declared: the first intent with a matching pattern wins.
///
/// A regular expression runs only on a message that holds one of the
/// pieces of text it cannot match without (`RequiredText`).
///
/// Regular expressions run on ICU's engine (`NSRegularExpression`), with
/// Unicode word boundaries for `\b` as Swift's `Regex` has them: on the
/// bundled bot's 55 patterns and 6,694 messages (its examples and the
/// transcripts' messages) both engines agree on every match, and ICU takes a
/// quarter of the time (docs/BENCHMARKS.md). Wildcards need no engine.
struct PatternMatcher: @unchecked Sendable { // NSRegularExpression is immutable and safe to share
    private struct Compiled {
        var intent: String
        /// Searched anywhere in the folded message, where the text it needs is there.
        var regexes: [(regex: NSRegularExpression, needs: RequiredText)]
        /// Matched against the whole of the message's normalised words.
        var wildcards: [Wildcard]
    }

    /// A wildcard pattern's words between its `*`s: the message's words must
    /// start with the first part (unless the pattern starts with `*`), end with
    /// the last, and hold the others in order between.
    struct Wildcard: Hashable, Sendable {
        var parts: [String]

        init(_ words: String) {
            parts = words.split(separator: "*", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }

        /// Whether `words` (a message's normalised words, joined by spaces) match
        /// as `^part0.*part1.*...partN$` would: a glob with `*` for any text.
        func matches(_ words: String) -> Bool {
            guard let first = parts.first, let last = parts.last else { return false }
            if parts.count == 1 { return words == first }
            let bytes = Array(words.utf8), head = Array(first.utf8), tail = Array(last.utf8)
            guard bytes.count >= head.count + tail.count, bytes.starts(with: head), bytes.suffix(tail.count).elementsEqual(tail) else {
                return false
            }
            // The middle parts in order, each as early as it can be (which never loses a match).
            var from = head.count
            let end = bytes.count - tail.count
            for part in parts.dropFirst().dropLast() where !part.isEmpty {
                let needle = Array(part.utf8)
                guard let found = ByteSearch.firstIndex(of: needle, in: bytes, from: from, to: end) else { return false }
                from = found + needle.count
            }
            return true
        }
    }

    private let compiled: [Compiled]

    /// A pattern's regular expression as the matcher runs it.
    static func compile(_ source: String) throws -> NSRegularExpression {
        try NSRegularExpression(pattern: source, options: [.useUnicodeWordBoundaries])
    }

    init(intents: [Intent]) {
        compiled = intents.compactMap { intent in
            var entry = Compiled(intent: intent.name, regexes: [], wildcards: [])
            for pattern in intent.patterns {
                switch pattern.kind {
                case .regex(let source):
                    if let regex = try? Self.compile(source) { entry.regexes.append((regex, RequiredText(pattern: source))) }
                case .wildcard(let words):
                    // "good morning*" matches "good morning pip", not "a good morning".
                    entry.wildcards.append(Wildcard(words))
                }
            }
            return entry.regexes.isEmpty && entry.wildcards.isEmpty ? nil : entry
        }
    }

    /// The first intent whose pattern matches the message, if any, among those `allowed`.
    func match(_ message: String, allowed: (String) -> Bool = { _ in true }) -> String? {
        guard !compiled.isEmpty else { return nil }
        let folded = TextNormalizer.fold(message)
        let range = NSRange(folded.startIndex..<folded.endIndex, in: folded)
        let words = TextNormalizer.tokens(message).joined(separator: " ")
        let bytes = Array(folded.utf8)
        for entry in compiled where allowed(entry.intent) {
            // Most patterns need words most messages do not have: those are passed over without the engine.
            if entry.regexes.contains(where: { $0.needs.mayMatch(bytes) && $0.regex.firstMatch(in: folded, range: range) != nil })
                || entry.wildcards.contains(where: { $0.matches(words) }) {
                return entry.intent
            }
        }
        return nil
    }
}
