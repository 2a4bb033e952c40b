import Foundation
import RapportCore
import Yams

/// Reads `entities.yaml`: the entity types a bot picks out of messages.
///
/// ```yaml
/// entities:
///   - name: order_number
///     pattern: '\b[Aa]-?(\d{5})\b'
///     value: 'A-$1'
///     example: A-12345
///   - name: delivery_date
///     builtin: date
///   - name: product
///     values:
///       - rain jacket: [raincoat, waterproof jacket]
///       - wool jumper: [jumper, sweater]
/// ```
enum EntityLoader {
    static let fileNames = ["entities.yaml", "entities.yml"]
    static let rootKeys = ["entities"]
    static let entityKeys = ["name", "pattern", "value", "normalize", "builtin", "day_first", "values", "example", "focus", "digit_lookalikes", "when_asked", "plurals"]
    static let whenAskedKeys = ["pattern", "value"]
    static let builtins = ["date", "amount"]

    static func read(_ root: Node, fields: inout YAMLFields) -> [EntityType] {
        guard let mapping = fields.mapping(root, describing: "entities.yaml") else { return [] }
        let entries = fields.entries(of: mapping, allowed: rootKeys, in: "entities.yaml")
        guard let listNode = entries["entities"]?.value else {
            fields.report(root, "entities.yaml has no 'entities:' list; add one, or remove the file")
            return []
        }
        guard let list = fields.sequence(listNode, describing: "'entities'") else { return [] }
        var types: [EntityType] = []
        var seen: [String: SourceLocation] = [:]
        for item in list {
            guard let type = readEntity(item, fields: &fields) else { continue }
            if let first = seen[type.name] {
                fields.report(at: type.location ?? fields.location(of: item),
                              "entity '\(type.name)' is already declared at line \(first.line); rename one of them")
                continue
            }
            seen[type.name] = type.location
            types.append(type)
        }
        return types
    }

    private static func readEntity(_ node: Node, fields: inout YAMLFields) -> EntityType? {
        guard let mapping = fields.mapping(node, describing: "an entity") else { return nil }
        let entries = fields.entries(of: mapping, allowed: entityKeys, in: "an entity")
        guard let nameNode = entries["name"]?.value else {
            fields.report(node, "this entity has no 'name:'; give it a name like order_number")
            return nil
        }
        guard let name = fields.nonBlankText(nameNode, describing: "an entity's name") else { return nil }
        guard BotLoader.isIdentifier(name) else {
            fields.report(nameNode, "'\(name)' is not a valid entity name; use lower-case letters, digits and '_', like order_number")
            return nil
        }
        let label = "entity '\(name)'"
        let kinds = ["pattern", "builtin", "values"].filter { entries[$0] != nil }
        guard kinds.count == 1 else {
            fields.report(nameNode, kinds.isEmpty
                ? "\(label) says neither how to find it: give it a 'pattern:' (a regular expression), 'values:' (a list), or 'builtin: date' / 'builtin: amount'"
                : "\(label) has \(kinds.map { "'\($0)'" }.joined(separator: " and ")); give it only one way to be found")
            return nil
        }
        /// Reports a key that only makes sense with another kind of entity.
        func refuse(_ key: String, unless kind: String, _ reason: String) -> Bool {
            guard let entry = entries[key], kinds[0] != kind else { return true }
            fields.report(entry.key, "'\(key)' in \(label) \(reason)")
            return false
        }
        guard refuse("value", unless: "pattern", "only goes with 'pattern:'"),
              refuse("normalize", unless: "pattern", "only goes with 'pattern:'"),
              refuse("digit_lookalikes", unless: "pattern", "only goes with 'pattern:'"),
              refuse("when_asked", unless: "pattern", "only goes with 'pattern:'"),
              refuse("day_first", unless: "builtin", "only goes with 'builtin: date'") else { return nil }
        var example: String?
        if let node = entries["example"]?.value {
            guard let text = fields.nonBlankText(node, describing: "the example of \(label)") else { return nil }
            example = text
        }
        var focus = false, focusLastsTheConversation = false
        if let node = entries["focus"]?.value {
            // `focus: conversation`: in focus until another value displaces it, however long the conversation.
            switch node.scalar?.string.lowercased() {
            case "conversation": (focus, focusLastsTheConversation) = (true, true)
            case "true", "yes": focus = true
            case "false", "no": focus = false
            default:
                fields.report(node, "'focus' in \(label) must be true, false or conversation")
                return nil
            }
        }
        var plurals = false
        if let node = entries["plurals"]?.value {
            guard let value = fields.bool(node, describing: "'plurals' in \(label)") else { return nil }
            guard kinds[0] == "values" else {
                fields.report(node, "'plurals' in \(label) is for a list of values ('values:'), whose plurals it reads; remove it here")
                return nil
            }
            plurals = value
        }
        let location = fields.location(of: nameNode)
        let recognizer: EntityType.Recognizer
        var lookalikes: [Character: Character] = [:]
        var whenAsked: EntityType.AskedPattern?
        switch kinds[0] {
        case "pattern":
            guard let patternNode = entries["pattern"]?.value,
                  let source = fields.nonBlankText(patternNode, describing: "the pattern of \(label)") else { return nil }
            guard compiles(source, at: patternNode, "the pattern of \(label)", fields: &fields),
                  case let template = readTemplate(entries["value"]?.value, pattern: source, label: label, fields: &fields), template.valid
            else { return nil }
            var normalization = EntityType.Normalization.none
            if let node = entries["normalize"]?.value {
                let allowed = EntityType.Normalization.allCases.map(\.rawValue)
                guard let text = fields.text(node, describing: "'normalize'"), let chosen = EntityType.Normalization(rawValue: text) else {
                    fields.report(node, "'normalize' must be one of \(allowed.joined(separator: ", "))")
                    return nil
                }
                normalization = chosen
            }
            recognizer = .pattern(source: source, template: template.text, normalization: normalization)
            if let node = entries["digit_lookalikes"]?.value {
                guard let read = readLookalikes(node, label: label, fields: &fields) else { return nil }
                lookalikes = read
            }
            if let node = entries["when_asked"]?.value {
                guard let read = readWhenAsked(node, label: label, fields: &fields) else { return nil }
                whenAsked = read
            }
        case "builtin":
            guard let builtinNode = entries["builtin"]?.value,
                  let builtin = fields.text(builtinNode, describing: "'builtin'") else { return nil }
            switch builtin {
            case "date":
                var dayFirst = true
                if let node = entries["day_first"]?.value {
                    guard let value = fields.bool(node, describing: "'day_first'") else { return nil }
                    dayFirst = value
                }
                recognizer = .date(dayFirst: dayFirst)
            case "amount":
                if let entry = entries["day_first"] {
                    fields.report(entry.key, "'day_first' in \(label) only goes with 'builtin: date'")
                    return nil
                }
                recognizer = .amount
            default:
                var message = "unknown builtin '\(builtin)' in \(label); the built-in recognisers are \(builtins.joined(separator: ", "))"
                if let suggestion = YAMLFields.nearest(builtin, in: builtins) { message = "unknown builtin '\(builtin)' in \(label); did you mean '\(suggestion)'?" }
                fields.report(builtinNode, message)
                return nil
            }
        default:
            guard let valuesNode = entries["values"]?.value, let values = readValues(valuesNode, label: label, fields: &fields) else { return nil }
            recognizer = .list(values)
        }
        return EntityType(name: name, recognizer: recognizer, example: example, focus: focus, location: location,
                          digitLookalikes: lookalikes, whenAsked: whenAsked, plurals: plurals,
                          focusLastsTheConversation: focusLastsTheConversation)
    }

    /// Whether `source` compiles as a regular expression; reports it at `node` when not.
    private static func compiles(_ source: String, at node: Node, _ what: String, fields: inout YAMLFields) -> Bool {
        do {
            _ = try Regex(source)
            return true
        } catch {
            fields.report(node, "\(what) is not a valid regular expression (\(error))")
            return false
        }
    }

    /// A pattern's `value:` template, checked against the pattern's groups:
    /// `valid` is false when it is broken, `text` nil when there is none.
    private static func readTemplate(_ node: Node?, pattern source: String, label: String, fields: inout YAMLFields) -> (valid: Bool, text: String?) {
        guard let node else { return (true, nil) }
        guard let text = fields.nonBlankText(node, describing: "the value of \(label)") else { return (false, nil) }
        // "$2" with one group would put "$2" into every value.
        let groups = (try? NSRegularExpression(pattern: source).numberOfCaptureGroups) ?? 0
        if let beyond = Self.groupReferences(in: text).first(where: { $0 > groups }) {
            fields.report(node, "the value of \(label) uses $\(beyond), but its pattern has \(counted(groups, "group")) in brackets")
            return (false, nil)
        }
        return (true, text)
    }

    /// `digit_lookalikes: {O: 0, o: 0, I: 1, l: 1}`: each key one letter, each value one digit.
    private static func readLookalikes(_ node: Node, label: String, fields: inout YAMLFields) -> [Character: Character]? {
        guard let map = fields.mapping(node, describing: "'digit_lookalikes' in \(label)") else { return nil }
        var lookalikes: [Character: Character] = [:]
        var valid = true
        for (key, value) in map {
            guard let letter = fields.text(key, describing: "a lookalike letter"), let digit = fields.text(value, describing: "a digit") else {
                valid = false
                continue
            }
            guard letter.count == 1, let character = letter.first, character.isLetter, character.unicodeScalars.count == 1 else {
                fields.report(key, "'\(letter)' in 'digit_lookalikes' of \(label) is not one letter; write each letter a customer types for a digit, like O: 0")
                valid = false
                continue
            }
            guard digit.count == 1, let figure = digit.first, ("0"..."9").contains(figure) else {
                fields.report(value, "'\(digit)' in 'digit_lookalikes' of \(label) is not one digit from 0 to 9; write the digit the letter stands for, like O: 0")
                valid = false
                continue
            }
            lookalikes[character] = figure
        }
        return valid ? lookalikes : nil
    }

    /// `when_asked: {pattern: '...', value: '...'}`: a pattern read only in
    /// answer to the bot's question for this entity.
    private static func readWhenAsked(_ node: Node, label: String, fields: inout YAMLFields) -> EntityType.AskedPattern? {
        guard let map = fields.mapping(node, describing: "'when_asked' in \(label)") else { return nil }
        let entries = fields.entries(of: map, allowed: whenAskedKeys, in: "'when_asked' in \(label)")
        guard let patternNode = entries["pattern"]?.value else {
            fields.report(node, "'when_asked' in \(label) has no 'pattern:'; give the regular expression an answer may match, like '\\b(\\d{5})\\b'")
            return nil
        }
        guard let source = fields.nonBlankText(patternNode, describing: "the pattern of 'when_asked' in \(label)"),
              compiles(source, at: patternNode, "the pattern of 'when_asked' in \(label)", fields: &fields),
              case let template = readTemplate(entries["value"]?.value, pattern: source, label: "'when_asked' in \(label)", fields: &fields),
              template.valid
        else { return nil }
        return EntityType.AskedPattern(source: source, template: template.text)
    }

    /// The group numbers a value template refers to (`$1` → 1).
    static func groupReferences(in template: String) -> [Int] {
        var references: [Int] = []
        var previous: Character?
        for character in template {
            if previous == "$", let digit = character.wholeNumberValue { references.append(digit) }
            previous = character
        }
        return references
    }

    /// A list entity's values: each a plain value, or `value: [synonym, ...]`.
    private static func readValues(_ node: Node, label: String, fields: inout YAMLFields) -> [EntityValue]? {
        guard let list = fields.sequence(node, describing: "the values of \(label)") else { return nil }
        if list.isEmpty {
            fields.report(node, "the values of \(label) are an empty list; add at least one")
            return nil
        }
        var values: [EntityValue] = []
        var valid = true
        var owner: [String: (value: String, line: Int)] = [:]
        for item in list {
            var value: EntityValue
            var formNodes: [Node] = []
            if case .mapping(let mapping) = item {
                guard mapping.count == 1, let (key, synonymsNode) = mapping.first else {
                    fields.report(item, "a value of \(label) is written 'value: [synonym, ...]', one value per line")
                    valid = false
                    continue
                }
                guard let name = fields.nonBlankText(key, describing: "a value of \(label)") else { valid = false; continue }
                var synonyms: [String] = []
                if case .scalar(let scalar) = synonymsNode, YAMLFields.isNull(scalar) {
                    // "- wool jumper:" with nothing after: no synonyms.
                } else if let list = fields.sequence(synonymsNode, describing: "the synonyms of '\(name)' in \(label)") {
                    for synonymNode in list {
                        guard let synonym = fields.nonBlankText(synonymNode, describing: "a synonym of '\(name)'") else { valid = false; continue }
                        synonyms.append(synonym)
                        formNodes.append(synonymNode)
                    }
                } else {
                    valid = false
                    continue
                }
                value = EntityValue(name, synonyms: synonyms)
                formNodes.insert(key, at: 0)
            } else if let name = fields.nonBlankText(item, describing: "a value of \(label)") {
                value = EntityValue(name)
                formNodes = [item]
            } else {
                valid = false
                continue
            }
            // The same words may not stand for two values.
            for (form, formNode) in zip([value.value] + value.synonyms, formNodes) {
                let key = EntityExtractor.foldedWords(of: form).joined(separator: " ")
                if key.isEmpty {
                    fields.report(formNode, "'\(form)' in \(label) has no letters or digits to match")
                    valid = false
                } else if let first = owner[key], first.value != value.value {
                    fields.report(formNode, "'\(form)' in \(label) already stands for '\(first.value)' (line \(first.line)); a form can mean only one value")
                    valid = false
                } else {
                    owner[key] = (value.value, fields.location(of: formNode).line)
                }
            }
            values.append(value)
        }
        return valid ? values : nil
    }
}
