import Foundation
import RapportCore
import Yams

/// Reads `signals.yaml`: the bot's lexicon, the words it reads short
/// answers, moods, cancellations, negation and sarcasm by.
///
/// ```yaml
/// yes:
///   words: [yes, yeah, sure]
///   phrases: [go ahead, of course]
/// negation:
///   cues: [i do not want, no need for, not]
/// ```
///
/// Groups and lists are those of `Lexicon.List`; any other key is a
/// problem. A list left out is empty. The schema is documented in
/// intents/README.md.
public enum LexiconLoader {
    public static let fileNames = ["signals.yaml", "signals.yml"]

    static func isSignalsFile(_ path: String) -> Bool {
        fileNames.contains((path as NSString).lastPathComponent)
    }

    /// The groups, in the order `Lexicon.List` declares them, and each group's lists.
    static let groups: [(name: String, lists: [Lexicon.List])] = Lexicon.List.allCases.reduce(into: []) { groups, list in
        if let last = groups.indices.last, groups[last].name == list.group {
            groups[last].lists.append(list)
        } else {
            groups.append((String(list.group), [list]))
        }
    }

    /// Reads one `signals.yaml` on its own: for tools and tests that want a
    /// bot's lexicon without the rest of the bot. All or nothing.
    public static func load(file path: String) throws(BotLoadFailure) -> Lexicon {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BotLoadFailure([LoadProblem(file: path, message: "cannot be read (check that it exists and its permissions)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BotLoadFailure([LoadProblem(file: path, message: "is not UTF-8 text; save it as UTF-8")])
        }
        return try parse(text, path: path)
    }

    /// Builds a lexicon from the text of a `signals.yaml`; `path` is used in
    /// messages. Pure: no file access.
    public static func parse(_ text: String, path: String = "signals.yaml") throws(BotLoadFailure) -> Lexicon {
        var fields = YAMLFields(file: path)
        guard let root = BotLoader.compose(text, fields: &fields) else { throw BotLoadFailure(fields.problems) }
        let lexicon = read(root, fields: &fields)
        guard fields.problems.isEmpty, let lexicon else { throw BotLoadFailure(fields.problems) }
        return lexicon
    }

    /// The lexicon in a composed `signals.yaml`, or nil when anything in it
    /// is wrong (the problems are in `fields`).
    static func read(_ root: Node, fields: inout YAMLFields) -> Lexicon? {
        guard let mapping = fields.mapping(root, describing: "signals.yaml") else { return nil }
        let before = fields.problems.count
        let entries = fields.entries(of: mapping, allowed: groups.map(\.name) + [detailsGroup, detailsAloneGroup, detailsOtherwiseGroup], in: "signals.yaml")
        var lexicon = Lexicon.empty
        for group in groups {
            guard let node = entries[group.name]?.value, let map = fields.mapping(node, describing: "'\(group.name)'") else { continue }
            let lists = fields.entries(of: map, allowed: group.lists.map { String($0.key) }, in: "'\(group.name)'")
            for list in group.lists {
                guard let node = lists[String(list.key)]?.value else { continue }
                // A word is of one language or the other.
                let taken = list == .otherLanguageOwnWords
                    ? Set(lexicon[.otherLanguageWords].map { TextNormalizer.tokens($0).joined(separator: " ") }) : []
                lexicon[list] = readList(node, list, notIn: taken, of: Lexicon.List.otherLanguageWords.rawValue, fields: &fields)
            }
        }
        // A phrase asks for one detail only, whether within a message or alone.
        var owner: [String: (detail: String, line: Int)] = [:]
        if let node = entries[detailsGroup]?.value {
            lexicon.details = readDetails(node, group: detailsGroup, owner: &owner, fields: &fields)
        }
        // Details asked alone, or when no other is: each is one of `details`.
        let named = Set(lexicon.details.map(\.name))
        // So are the lists of detail names (whom a request is for, where something was bought).
        for list in Lexicon.List.allCases where list.namesDetails {
            guard let node = entries[String(list.group)]?.value, case .mapping(let map) = node,
                  let items = map.first(where: { $0.key.string == String(list.key) })?.value, case .sequence(let entries) = items else { continue }
            for item in entries where item.string.map({ !named.contains($0) }) ?? false {
                fields.report(item, "'\(list.rawValue)' holds '\(item.string ?? "")', which names no detail of 'details'; name one of those, like 'time'")
            }
        }
        for group in [detailsAloneGroup, detailsOtherwiseGroup] {
            guard let node = entries[group]?.value else { continue }
            let read = readDetails(node, group: group, owner: &owner, fields: &fields)
            if group == detailsAloneGroup { lexicon.detailsAlone = read } else { lexicon.detailsOtherwise = read }
            guard case .mapping(let map) = node else { continue }
            for (key, _) in map {
                if let name = key.string, BotLoader.isIdentifier(name), !named.contains(name) {
                    fields.report(key, "'\(group).\(name)' names no detail of 'details'; name one of those, like 'time'")
                }
            }
        }
        return fields.problems.count == before ? lexicon : nil
    }

    /// The group naming the details of an answer a customer may ask about on their own.
    static let detailsGroup = "details"
    /// The group of words that ask for a detail only as a whole message ("when?").
    static let detailsAloneGroup = "details_alone"
    /// The group of words that ask for a detail when the message asks no other.
    static let detailsOtherwiseGroup = "details_otherwise"

    /// `details:`, a mapping of detail names (`cost`, `time`) to the phrases
    /// that ask for each. A phrase may stand under one detail only: "how
    /// much" cannot ask for two things.
    private static func readDetails(_ node: Node, group: String, owner: inout [String: (detail: String, line: Int)],
                                    fields: inout YAMLFields) -> [DetailCue] {
        guard case .mapping(let map) = node else {
            fields.report(node, "'\(group)' is a mapping of detail names to the phrases that ask for them, like 'cost: [free, how much]'")
            return []
        }
        var details: [DetailCue] = []
        for (key, value) in map {
            guard let name = fields.nonBlankText(key, describing: "a detail name"), BotLoader.isIdentifier(name) else {
                fields.report(key, "a detail name is lower-case letters, digits and '_', like cost or someone_else")
                continue
            }
            guard let items = fields.sequence(value, describing: "'\(group).\(name)'") else { continue }
            var phrases: [String] = []
            for item in items {
                guard let (entry, words) = readEntry(item, of: "'\(group).\(name)'", fields: &fields) else { continue }
                // "send ... back" lets words in: it is no "send back" (`CustomerSignals.phraseWords`).
                let read = CustomerSignals.phraseWords(entry)
                if entry.contains(CustomerSignals.gap), read.first == CustomerSignals.gap || read.last == CustomerSignals.gap || read.count == words.count {
                    fields.report(item, "'\(entry)' in '\(group).\(name)' has '\(CustomerSignals.gap)' where no words stand either side; put it between two words, like 'send ... back'")
                    continue
                }
                let key = read.joined(separator: " ")
                if let earlier = owner[key] {
                    fields.report(item, "'\(entry)' already asks for '\(earlier.detail)' at line \(earlier.line); a phrase may ask for one detail only")
                    continue
                }
                owner[key] = (name, fields.location(of: item).line)
                phrases.append(entry)
            }
            details.append(DetailCue(name: name, phrases: phrases))
        }
        return details
    }

    /// One entry of a list, as written and as the words the bot reads; nil
    /// (with the problem reported) when it is not text or holds no word.
    private static func readEntry(_ item: Node, of what: String, fields: inout YAMLFields) -> (entry: String, words: [String])? {
        guard let entry = fields.nonBlankText(item, describing: "an entry of \(what)") else { return nil }
        let words = TextNormalizer.tokens(entry)
        guard !words.isEmpty else {
            fields.report(item, "'\(entry)' in \(what) has no letters or digits; write a word, or remove the line")
            return nil
        }
        return (entry, words)
    }

    /// The entries of one list; an entry (as the bot reads it) in `taken`,
    /// the words of the list named `takenBy`, is reported.
    private static func readList(
        _ node: Node, _ list: Lexicon.List, notIn taken: Set<String> = [], of takenBy: String = "", fields: inout YAMLFields
    ) -> [String] {
        let what = "'\(list.rawValue)'"
        // An empty list is written `[]`; nothing after the colon is a mistake too easily made.
        guard let items = fields.sequence(node, describing: what) else { return [] }
        var entries: [String] = []
        var seen: [String: Int] = [:]
        for item in items {
            guard let (entry, words) = readEntry(item, of: what, fields: &fields) else { continue }
            if list.takesSingleWords, words.count > 1 {
                fields.report(item, "'\(entry)' in \(what) is \(words.count) words as the bot reads it (\(words.joined(separator: " "))); "
                              + "this list takes one word per entry: put phrases under a 'phrases' list")
                continue
            }
            if list.readsTypedText, let odd = entry.first(where: { !($0.isLetter || $0.isNumber || $0 == " ") }) {
                fields.report(item, "'\(entry)' in \(what) has '\(odd)'; dismissal entries are read as typed, so write only letters, digits and spaces")
                continue
            }
            let key = list.readsTypedText ? entry.lowercased() : words.joined(separator: " ")
            if taken.contains(key) {
                fields.report(item, "'\(entry)' is in both '\(takenBy)' and \(what); a word is of one language or the other")
                continue
            }
            if let line = seen[key] {
                fields.report(item, "'\(entry)' is already in \(what) at line \(line); remove one of them")
                continue
            }
            seen[key] = fields.location(of: item).line
            entries.append(entry)
        }
        return entries
    }
}
