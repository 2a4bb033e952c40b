import Foundation
import RapportCore
import Yams

/// Reads `profile.yaml`: the profile fields a bot may learn about its
/// customers, how trust moves, when it may ask, what it says around it, and
/// the offers it makes. The schema is documented in intents/README.md.
enum ProfileLoader {
    static let fileNames = ["profile.yaml", "profile.yml"]
    static let rootKeys = ["fields", "trust", "asking", "texts", "offers"]
    static let fieldKeys = ["name", "label", "synonyms", "kind", "tier", "questions", "purpose", "use", "answer", "volunteered", "inferred_from"]
    static let trustKeys = ["weights", "tiers"]
    static let askingKeys = ["quiet_messages", "first_conversation", "messages_between", "per_conversation", "partnership_orders"]
    static let textKeys = [
        "remembered", "declined", "knows_nothing", "not_known", "which_field", "erased", "erasure_cancelled", "erasure_unclear",
        "erasure_not_confirmed", "erasure_failed", "erasure_elsewhere", "erasure_standing", "not_kept_while_erasing",
        "check_back", "check_back_good", "check_back_bad",
    ]
    static let offerKeys = ["name", "when", "after", "texts"]
    static let conditionKeys = ["stage", "level", "known", "given"]

    static func isProfileFile(_ path: String) -> Bool {
        fileNames.contains((path as NSString).lastPathComponent)
    }

    /// The field names a profile file declares, read before anything else so
    /// every response may use them as placeholders. Problems are reported later, by `read`.
    static func fieldNames(in text: String) -> Set<String> {
        guard let root = try? Yams.compose(yaml: text, .basic), case .mapping(let mapping) = root,
              case .sequence(let list)? = mapping["fields"] else { return [] }
        return Set(list.compactMap { item -> String? in
            guard case .mapping(let field) = item, case .scalar(let name)? = field["name"] else { return nil }
            return name.string
        })
    }

    static func read(_ root: Node, placeholders: Set<String>?, fields: inout YAMLFields) -> ProfileCatalogue? {
        guard let mapping = fields.mapping(root, describing: "profile.yaml") else { return nil }
        let entries = fields.entries(of: mapping, allowed: rootKeys, in: "profile.yaml")
        var catalogue = ProfileCatalogue.empty
        var valid = true
        let texts = placeholders?.union(ProfileTexts.placeholders)
        if let node = entries["fields"]?.value {
            if let list = fields.sequence(node, describing: "'fields'") {
                var seen: [String: SourceLocation] = [:]
                for item in list {
                    guard let field = readField(item, placeholders: texts, fields: &fields) else { valid = false; continue }
                    if let first = seen[field.name] {
                        fields.report(at: field.location ?? fields.location(of: item),
                                      "profile field '\(field.name)' is already declared at line \(first.line); rename one of them")
                        valid = false
                        continue
                    }
                    seen[field.name] = field.location
                    catalogue.fields.append(field)
                }
            } else {
                valid = false
            }
        }
        if let node = entries["trust"]?.value {
            if let trust = readTrust(node, fields: &fields) { catalogue.trust = trust } else { valid = false }
        }
        if let node = entries["asking"]?.value {
            if let asking = readAsking(node, fields: &fields) { catalogue.asking = asking } else { valid = false }
        }
        if let node = entries["texts"]?.value, let map = fields.mapping(node, describing: "'texts'") {
            let textEntries = fields.entries(of: map, allowed: textKeys, in: "'texts'")
            func text(_ key: String, into target: inout [ResponseTemplate]) {
                guard let node = textEntries[key]?.value else { return }
                if let parsed = BotLoader.templates(node, describing: "'\(key)'", placeholders: texts, fields: &fields) {
                    target = parsed
                } else {
                    valid = false
                }
            }
            text("remembered", into: &catalogue.texts.remembered)
            text("declined", into: &catalogue.texts.declined)
            text("knows_nothing", into: &catalogue.texts.knowsNothing)
            text("not_known", into: &catalogue.texts.notKnown)
            text("which_field", into: &catalogue.texts.whichField)
            text("erased", into: &catalogue.texts.erased)
            text("erasure_cancelled", into: &catalogue.texts.erasureCancelled)
            text("erasure_unclear", into: &catalogue.texts.erasureUnclear)
            text("erasure_not_confirmed", into: &catalogue.texts.erasureNotConfirmed)
            text("erasure_elsewhere", into: &catalogue.texts.erasureElsewhere)
            text("erasure_standing", into: &catalogue.texts.erasureStanding)
            text("not_kept_while_erasing", into: &catalogue.texts.notKeptWhileErasing)
            text("erasure_failed", into: &catalogue.texts.erasureFailed)
            text("check_back", into: &catalogue.texts.checkBack)
            text("check_back_good", into: &catalogue.texts.checkBackGood)
            text("check_back_bad", into: &catalogue.texts.checkBackBad)
        } else if entries["texts"] != nil {
            valid = false
        }
        if let node = entries["offers"]?.value {
            if let list = fields.sequence(node, describing: "'offers'") {
                for item in list {
                    if let offer = readOffer(item, placeholders: placeholders, fields: &fields) { catalogue.offers.append(offer) } else { valid = false }
                }
            } else {
                valid = false
            }
        }
        return valid ? catalogue : nil
    }

    private static func readField(_ node: Node, placeholders: Set<String>?, fields: inout YAMLFields) -> ProfileField? {
        guard let mapping = fields.mapping(node, describing: "a profile field") else { return nil }
        let entries = fields.entries(of: mapping, allowed: fieldKeys, in: "a profile field")
        guard let nameNode = entries["name"]?.value else {
            fields.report(node, "this profile field has no 'name:'; give it a name like first_name")
            return nil
        }
        guard let name = fields.nonBlankText(nameNode, describing: "a profile field's name") else { return nil }
        var valid = true
        if !BotLoader.isIdentifier(name) {
            fields.report(nameNode, "'\(name)' is not a valid field name; use lower-case letters, digits and '_', like first_name")
            valid = false
        }
        let what = "profile field '\(name)'"
        var label = "your " + name.replacingOccurrences(of: "_", with: " ")
        if let node = entries["label"]?.value {
            if let text = fields.nonBlankText(node, describing: "the label of \(what)") { label = text } else { valid = false }
        }
        var synonyms: [String] = []
        if let node = entries["synonyms"]?.value {
            if let list = fields.sequence(node, describing: "the synonyms of \(what)") {
                for item in list {
                    if let text = fields.nonBlankText(item, describing: "a synonym of \(what)") { synonyms.append(text) } else { valid = false }
                }
            } else {
                valid = false
            }
        }
        var kind: SegmentKind?
        if let node = entries["kind"]?.value {
            if let text = fields.text(node, describing: "the kind of \(what)"), let parsed = SegmentKind(rawValue: text) {
                kind = parsed
            } else {
                fields.report(node, "the kind of \(what) must be one of \(SegmentKind.allCases.map(\.rawValue).joined(separator: ", "))")
                valid = false
            }
        } else {
            fields.report(nameNode, "\(what) has no 'kind:'; say how it segments customers: \(SegmentKind.allCases.map(\.rawValue).joined(separator: ", "))")
            valid = false
        }
        var tier = 0
        if let node = entries["tier"]?.value {
            if let value = fields.number(node, describing: "the tier of \(what)", in: 1...4), value == value.rounded() {
                tier = Int(value)
            } else {
                valid = false
            }
        } else {
            fields.report(nameNode, "\(what) has no 'tier:'; give its sensitivity from 1 (a first name) to 4 (interests and lifestyle)")
            valid = false
        }
        /// The replies under `key`, none when it is absent; `valid` falls when they are not replies.
        func replies(_ key: String, _ describing: String) -> [ResponseTemplate] {
            guard let node = entries[key]?.value else { return [] }
            guard let parsed = BotLoader.templates(node, describing: describing, placeholders: placeholders, fields: &fields) else {
                valid = false
                return []
            }
            return parsed
        }
        let questions = replies("questions", "the questions of \(what)")
        let purpose = replies("purpose", "the purpose of \(what)")
        if entries["purpose"] == nil, !questions.isEmpty {
            fields.report(nameNode, "\(what) has questions but no 'purpose:'; say why you want it, for customers who ask")
            valid = false
        }
        let use = replies("use", "the use of \(what)")
        var answer = AnswerReader.text
        if let node = entries["answer"]?.value {
            if let parsed = readAnswer(node, what: what, fields: &fields) { answer = parsed } else { valid = false }
        }
        var volunteered: [String] = []
        if let node = entries["volunteered"]?.value {
            if let list = fields.sequence(node, describing: "the volunteered patterns of \(what)") {
                for item in list {
                    guard let source = fields.nonBlankText(item, describing: "a volunteered pattern of \(what)") else { valid = false; continue }
                    do {
                        let regex = try Regex(source)
                        _ = regex
                        if !source.contains("(") {
                            fields.report(item, "this pattern of \(what) has no capture group; put the value in ( ), like 'my name is (\\w+)'")
                            valid = false
                        } else {
                            volunteered.append(source)
                        }
                    } catch {
                        fields.report(item, "this pattern of \(what) is not a valid regular expression: \(error)")
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        var inferredFrom: String?
        if let node = entries["inferred_from"]?.value {
            if let text = fields.nonBlankText(node, describing: "'inferred_from' of \(what)") { inferredFrom = text } else { valid = false }
        }
        guard valid, let kind else { return nil }
        return ProfileField(
            name: name, label: label, synonyms: synonyms, kind: kind, tier: tier, questions: questions, purpose: purpose,
            use: use, answer: answer, volunteered: volunteered, inferredFrom: inferredFrom, location: fields.location(of: nameNode)
        )
    }

    /// The bounds a `{number: [MIN, MAX]}` answer may have.
    static let answerNumbers = -1_000_000...1_000_000

    /// `name`, `text`, `{entity: email}` or `{number: [16, 110]}`.
    private static func readAnswer(_ node: Node, what: String, fields: inout YAMLFields) -> AnswerReader? {
        let help = "the answer of \(what) must be name, text, {entity: NAME} or {number: [MIN, MAX]} with MIN ≤ MAX, both from \(answerNumbers.lowerBound) to \(answerNumbers.upperBound)"
        switch node {
        case .scalar(let scalar) where scalar.string == "name": return .name
        case .scalar(let scalar) where scalar.string == "text": return .text
        case .mapping(let mapping) where mapping.count == 1:
            if let entity = mapping["entity"], case .scalar(let name) = entity, !name.string.isEmpty { return .entity(name.string) }
            if let range = mapping["number"], case .sequence(let bounds) = range, bounds.count == 2,
               case .scalar(let low) = bounds[0], case .scalar(let high) = bounds[1],
               let min = Int(low.string), let max = Int(high.string), min <= max,
               Self.answerNumbers.contains(min), Self.answerNumbers.contains(max) {
                return .number(min...max)
            }
        default: break
        }
        fields.report(node, help)
        return nil
    }

    private static func readTrust(_ node: Node, fields: inout YAMLFields) -> TrustRules? {
        guard let mapping = fields.mapping(node, describing: "'trust'") else { return nil }
        let entries = fields.entries(of: mapping, allowed: trustKeys, in: "'trust'")
        var rules = TrustRules.default
        var valid = true
        if let node = entries["weights"]?.value, let map = fields.mapping(node, describing: "'weights'") {
            let weights = fields.entries(of: map, allowed: TrustEvent.allCases.map(\.rawValue), in: "'weights'")
            for (key, entry) in weights {
                guard let event = TrustEvent(rawValue: key) else { continue }
                if let value = fields.number(entry.value, describing: "the weight of \(key)", in: -100...100) {
                    rules.weights[event] = value
                } else {
                    valid = false
                }
            }
        }
        if let node = entries["tiers"]?.value, let list = fields.sequence(node, describing: "'tiers'") {
            var thresholds: [Double] = []
            for item in list {
                if let value = fields.number(item, describing: "a tier's trust threshold", in: 0...100) { thresholds.append(value) } else { valid = false }
            }
            if thresholds.count != 4 || thresholds != thresholds.sorted() {
                fields.report(node, "'tiers' lists the trust each of the four tiers needs, lowest first, like [8, 20, 40, 60]")
                valid = false
            }
            rules.tierThresholds = thresholds
        }
        return valid ? rules : nil
    }

    private static func readAsking(_ node: Node, fields: inout YAMLFields) -> AskingRules? {
        guard let mapping = fields.mapping(node, describing: "'asking'") else { return nil }
        let entries = fields.entries(of: mapping, allowed: askingKeys, in: "'asking'")
        var rules = AskingRules.default
        var valid = true
        func count(_ key: String, into target: inout Int) {
            guard let node = entries[key]?.value else { return }
            if let value = fields.number(node, describing: "'\(key)'", in: 0...1000), value == value.rounded() {
                target = Int(value)
            } else {
                valid = false
            }
        }
        count("quiet_messages", into: &rules.quietMessages)
        if let node = entries["first_conversation"]?.value {
            if let value = fields.bool(node, describing: "'first_conversation'") { rules.inFirstConversation = value } else { valid = false }
        }
        count("messages_between", into: &rules.messagesBetween)
        count("per_conversation", into: &rules.perConversation)
        count("partnership_orders", into: &rules.partnershipOrders)
        return valid ? rules : nil
    }

    private static func readOffer(_ node: Node, placeholders: Set<String>?, fields: inout YAMLFields) -> Offer? {
        guard let mapping = fields.mapping(node, describing: "an offer") else { return nil }
        let entries = fields.entries(of: mapping, allowed: offerKeys, in: "an offer")
        guard let nameNode = entries["name"]?.value, let name = fields.nonBlankText(nameNode, describing: "an offer's name") else {
            fields.report(node, "this offer has no 'name:'; give it a name like running_club")
            return nil
        }
        var valid = true
        var condition = CustomerCondition()
        if let node = entries["when"]?.value {
            if let parsed = readCondition(node, fields: &fields) { condition = parsed } else { valid = false }
        } else {
            fields.report(nameNode, "offer '\(name)' has no 'when:'; say which customers it is for")
            valid = false
        }
        var after: [String] = []
        if let node = entries["after"]?.value {
            if let list = fields.sequence(node, describing: "'after' of offer '\(name)'") {
                for item in list {
                    if let intent = fields.nonBlankText(item, describing: "an intent in 'after'") { after.append(intent) } else { valid = false }
                }
            } else {
                valid = false
            }
        }
        var texts: [ResponseTemplate] = []
        if let node = entries["texts"]?.value {
            if let parsed = BotLoader.templates(node, describing: "the texts of offer '\(name)'", placeholders: placeholders, fields: &fields) {
                texts = parsed
            } else {
                valid = false
            }
        } else {
            fields.report(nameNode, "offer '\(name)' has no 'texts:'; write what the bot says")
            valid = false
        }
        return valid ? Offer(name: name, when: condition, after: after, texts: texts, location: fields.location(of: nameNode)) : nil
    }

    /// `{stage: [client, advocate], level: proactive, known: [first_name], interests: [running]}`:
    /// every part must hold. Field names are checked against the catalogue once everything is read.
    static func readCondition(_ node: Node, fields: inout YAMLFields) -> CustomerCondition? {
        guard let mapping = fields.mapping(node, describing: "'when'") else { return nil }
        var condition = CustomerCondition()
        var valid = true
        func names(_ value: Node, describing what: String) -> [String]? {
            switch value {
            case .scalar(let scalar) where !YAMLFields.isNull(scalar): return [scalar.string]
            case .sequence(let list):
                var result: [String] = []
                for item in list {
                    guard let text = fields.nonBlankText(item, describing: what) else { return nil }
                    result.append(text)
                }
                return result.isEmpty ? nil : result
            default:
                fields.report(value, "\(what) must be a name or a list of names")
                return nil
            }
        }
        for (key, value) in mapping {
            guard let keyText = fields.text(key, describing: "a key of 'when'") else { valid = false; continue }
            guard let list = names(value, describing: "'\(keyText)' in 'when'") else { valid = false; continue }
            switch keyText {
            case "stage":
                let stages = list.compactMap(LoyaltyStage.init(rawValue:))
                if stages.count != list.count {
                    fields.report(value, "'stage' in 'when' takes \(LoyaltyStage.allCases.map(\.rawValue).joined(separator: ", "))")
                    valid = false
                }
                condition.stages = Set(stages)
            case "level":
                let levels = list.compactMap(RelationshipLevel.init(rawValue:))
                if levels.count != list.count {
                    fields.report(value, "'level' in 'when' takes \(RelationshipLevel.allCases.map(\.rawValue).joined(separator: ", "))")
                    valid = false
                }
                condition.levels = Set(levels)
            case "known":
                condition.known = list
            case "given":
                condition.given = list
                fields.givenConditions += 1
            default:
                condition.values[keyText] = Set(list.map(TextNormalizer.fold))
            }
        }
        return valid ? condition : nil
    }
}
