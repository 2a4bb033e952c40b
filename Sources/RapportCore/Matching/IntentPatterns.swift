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
                _ = try Regex(source)
            } catch {
                throw PatternError(message: "'\(text)' is not a valid regular expression (\(error))")
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
struct PatternMatcher: @unchecked Sendable { // compiled regexes are never mutated
    private struct Compiled {
        var intent: String
        /// Searched anywhere in the folded message.
        var regexes: [Regex<AnyRegexOutput>]
        /// Matched against the whole of the message's normalised words.
        var wildcards: [Regex<AnyRegexOutput>]
    }

    private let compiled: [Compiled]

    init(intents: [Intent]) {
        compiled = intents.compactMap { intent in
            var entry = Compiled(intent: intent.name, regexes: [], wildcards: [])
            for pattern in intent.patterns {
                switch pattern.kind {
                case .regex(let source):
                    if let regex = try? Regex(source) { entry.regexes.append(regex) }
                case .wildcard(let words):
                    // "good morning*" matches "good morning pip", not "a good morning".
                    let parts = words.split(separator: "*", omittingEmptySubsequences: false).map {
                        NSRegularExpression.escapedPattern(for: $0.trimmingCharacters(in: .whitespaces))
                    }
                    if let regex = try? Regex(parts.joined(separator: ".*")) { entry.wildcards.append(regex) }
                }
            }
            return entry.regexes.isEmpty && entry.wildcards.isEmpty ? nil : entry
        }
    }

    /// The first intent whose pattern matches the message, if any, among those `allowed`.
    func match(_ message: String, allowed: (String) -> Bool = { _ in true }) -> String? {
        guard !compiled.isEmpty else { return nil }
        let folded = TextNormalizer.fold(message)
        let words = TextNormalizer.tokens(message).joined(separator: " ")
        for entry in compiled where allowed(entry.intent) {
            if entry.regexes.contains(where: { (try? $0.firstMatch(in: folded)) != nil })
                || entry.wildcards.contains(where: { (try? $0.wholeMatch(in: words)) != nil }) {
                return entry.intent
            }
        }
        return nil
    }
}
