import Foundation
import RapportCore
import Yams

/// Loads a bot from a folder of YAML files: `bot.yaml` for the bot's identity
/// and shared texts, and one file per topic holding intents.
///
/// Loading is all or nothing: every problem in every file is collected, and if
/// there is any, a `BotLoadFailure` lists them all and no bot is returned.
/// The schema is documented in intents/README.md.
public enum BotLoader {
    /// The file holding the bot's settings, as opposed to topic files
    /// (`bot.yml` is accepted too).
    public static let settingsFile = "bot.yaml"

    /// The names the settings file may have.
    public static let settingsFileNames = [settingsFile, "bot.yml"]

    static func isSettingsFile(_ path: String) -> Bool {
        settingsFileNames.contains((path as NSString).lastPathComponent)
    }

    /// `entities.yaml` (or `.yml`) declares entity types, not intents.
    static func isEntitiesFile(_ path: String) -> Bool {
        EntityLoader.fileNames.contains((path as NSString).lastPathComponent)
    }

    /// The topic a file holds: its name without the extension.
    static func topic(of path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    static let botKeys = [
        "name", "variables", "welcome", "fallback", "farewell", "clarify",
        "suggest", "offer_handoff", "offer_handoff_frustrated", "handoff_accepted", "handoff_declined",
        "too_long", "other_language", "in_english", "repeated", "said_before", "answer_yes", "answer_no", "declined_request", "cannot_act", "next_step", "not_done", "noted", "nothing_more", "cannot_answer", "not_in_record", "arrived_not_in_record", "handed_over", "handed_over_noted", "handed_over_question", "handed_over_asked", "handed_over_next", "with_the_team", "solved", "someone_elses_details", "slot_cancelled", "slot_resume", "slot_invalid", "slot_asked_again", "pick_up", "pick_up_declined",
        "still_there", "timed_out", "feedback", "matching", "private_records", "support_hours", "due_dates", "calendar", "time_limits", "extended_limits", "delivery_estimates",
    ]
    static let matchingKeys = ["confidence_threshold", "clarify_margin"]
    static let topicKeys = ["description", "intents"]
    static let intentKeys = [
        "name", "summary", "label", "examples", "patterns", "slots", "lookup", "responses", "details", "told_more", "ends_conversation", "handoff", "buttons", "suggest",
        "sets_context", "context_turns", "needs_context", "resolves", "action", "evidence", "ask_feedback", "min_confidence", "pleasantry",
        "not_with", "yes_no",
    ]
    static let slotKeys = ["name", "entity", "required", "prompts", "invalid", "unsure", "without", "why", "from_last_answer", "from_focus"]
    static let lookupKeys = ["table", "slot", "not_found", "someone_else", "total_of", "total"]
    static let buttonKeys = ["title", "message"]

    /// Reads every `.yaml`/`.yml` file in `directory` (not its subfolders) and loads the bot.
    /// `directory` is shown in error messages as given, so relative paths stay short.
    public static func load(directory: String) throws(BotLoadFailure) -> Bot {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw BotLoadFailure([LoadProblem(file: directory, message: "intents folder not found; pass --intents DIR with the folder holding bot.yaml")])
        }
        guard isDirectory.boolValue else {
            throw BotLoadFailure([LoadProblem(file: directory, message: "is a file, not a folder; --intents takes the folder holding bot.yaml")])
        }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory)
        } catch {
            throw BotLoadFailure([LoadProblem(file: directory, message: "intents folder cannot be read (check its permissions)")])
        }
        var files: [(path: String, text: String)] = []
        var problems: [LoadProblem] = []
        // Hidden files (editor backups, macOS "._" files) are not the bot's.
        for name in names.sorted() where !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) {
            let path = (directory as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { continue } // subfolders are not read
            guard let data = manager.contents(atPath: path) else {
                problems.append(LoadProblem(file: path, message: "cannot be read (check its permissions)"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(LoadProblem(file: path, message: "is not UTF-8 text; save it as UTF-8"))
                continue
            }
            files.append((path, text))
        }
        let data = DataTableLoader.load(directory: directory)
        problems += data.problems
        if !problems.isEmpty { throw BotLoadFailure(problems) }
        return try parse(files: files, directory: directory, tables: data.tables)
    }

    /// Builds a bot from file contents; `path` is used in messages and to tell
    /// `bot.yaml` from topic files. Pure: no file access.
    public static func parse(
        files: [(path: String, text: String)], directory: String = "intents", tables: [DataTable] = []
    ) throws(BotLoadFailure) -> Bot {
        let tablesByName = Dictionary(tables.map { ($0.name, $0) }) { first, _ in first }
        var problems: [LoadProblem] = []
        var settings: BotSettings?
        var intents: [Intent] = []
        var entities: [EntityType] = []
        // bot.yaml first: its variables are the placeholders topic files may use.
        func rank(_ path: String) -> Int { isSettingsFile(path) ? 0 : ProfileLoader.isProfileFile(path) ? 1 : 2 }
        let ordered = files.sorted { rank($0.path) < rank($1.path) }
        var topicFiles: [String: String] = [:]
        var exampleSources: [String: [ExampleSource]] = [:]
        // Profile fields are placeholders everywhere ("Welcome back, {first_name|there}").
        let profileFields = files.first { ProfileLoader.isProfileFile($0.path) }.map { ProfileLoader.fieldNames(in: $0.text) } ?? []
        var catalogue = ProfileCatalogue.empty
        var profileBroken = false
        var lexicon = Lexicon.empty
        // A broken signals.yaml is reported once: its details are not also reported missing.
        var lexiconBroken = false
        var givenConditions = 0
        for file in ordered {
            let topic = topic(of: file.path)
            if let first = topicFiles[topic] {
                problems.append(LoadProblem(
                    file: file.path,
                    message: "holds the same topic as \(first); keep one file per topic (merge them, or rename one)"
                ))
                continue
            }
            topicFiles[topic] = file.path
            let isSettings = isSettingsFile(file.path)
            var fields = YAMLFields(file: file.path)
            defer { givenConditions += fields.givenConditions }
            guard let root = compose(file.text, fields: &fields) else {
                problems += fields.problems
                continue
            }
            if isSettings {
                settings = readSettings(root, profileFields: profileFields, tables: tablesByName, fields: &fields)
            } else if ProfileLoader.isProfileFile(file.path) {
                if let read = ProfileLoader.read(root, placeholders: settings?.placeholders, fields: &fields) {
                    catalogue = read
                } else {
                    profileBroken = true
                }
            } else if isEntitiesFile(file.path) {
                entities = EntityLoader.read(root, fields: &fields)
            } else if LexiconLoader.isSignalsFile(file.path) {
                if let read = LexiconLoader.read(root, fields: &fields) { lexicon = read } else { lexiconBroken = true }
            } else {
                for (intent, locations) in readTopic(root, topic: topic, placeholders: settings?.placeholders, extra: (handoff: settings?.handoffPlaceholders ?? [], lookup: settings?.lookupPlaceholders ?? [], refund: settings?.refundPlaceholders ?? []), tables: tablesByName, fields: &fields) {
                    intents.append(intent)
                    // A duplicate name is reported below; its first declaration keeps its examples' places.
                    if exampleSources[intent.name] == nil { exampleSources[intent.name] = locations }
                }
            }
            problems += fields.problems
        }
        if !files.contains(where: { isSettingsFile($0.path) }) {
            problems.append(LoadProblem(
                file: (directory as NSString).appendingPathComponent(settingsFile),
                message: "missing: every bot needs a bot.yaml with its name, welcome, fallback and farewell texts"
            ))
        }
        if !files.contains(where: { !isSettingsFile($0.path) && !isEntitiesFile($0.path) && !ProfileLoader.isProfileFile($0.path) && !LexiconLoader.isSignalsFile($0.path) }) && problems.isEmpty {
            problems.append(LoadProblem(file: directory, message: "has no topic files; add at least one .yaml file with intents"))
        }
        problems += crossFileProblems(intents, exampleSources: exampleSources)
        problems += slotEntityProblems(intents, entities: entities, slotTexts: settings?.slotTexts ?? .default)
        problems += lookupCoverageProblems(intents, entities: entities, tables: tablesByName)
        if !lexiconBroken {
            problems += detailProblems(intents, lexicon: lexicon)
            problems += otherLanguageProblems(intents, lexicon: lexicon, exampleSources: exampleSources)
        }
        // A context opened by an intent that failed to load would be reported as never opened.
        if problems.isEmpty { problems += contextProblems(intents, opened: catalogue.fields.contains { !$0.questions.isEmpty } ? [ProfileCatalogue.questionContext] : []) }
        // Names across files are checked once each file reads cleanly: a broken
        // intent would otherwise also be reported as missing.
        if !profileBroken, problems.isEmpty, let settings {
            problems += profileProblems(catalogue, settings: settings, intents: intents, entities: entities, tables: tablesByName,
                                        details: lexiconBroken ? [] : lexicon.details.map(\.name))
        }
        guard problems.isEmpty, let settings else { throw BotLoadFailure(problems) }
        var bot = Bot(
            name: settings.name,
            variables: settings.variables,
            welcome: settings.welcome,
            fallback: settings.fallback,
            farewell: settings.farewell,
            clarify: settings.clarify,
            ladder: settings.ladder,
            slotTexts: settings.slotTexts,
            sessionTexts: settings.sessionTexts,
            feedbackTexts: settings.feedbackTexts,
            intents: intents,
            entities: entities,
            tables: tablesByName,
            matching: settings.matching,
            profile: catalogue,
            lexicon: lexicon,
            supportHours: settings.support?.hours,
            supportTexts: settings.support?.texts,
            dueDateTexts: settings.dueDateTexts,
            calendar: settings.calendar,
            timeLimits: settings.timeLimits,
            limitExtensions: settings.limitExtensions,
            deliveryEstimates: settings.deliveryEstimates
        )
        bot.privateRecords = settings.privateRecords
        // A handoff's texts may wait on when a person will answer: the dialogue manager fills it.
        func isAllowedHandoffText(_ template: ResponseTemplate) -> Bool {
            template.condition.map { !$0.given.isEmpty && Set($0.given).isSubset(of: settings.handoffPlaceholders) } == true
        }
        // Every condition read stands in an intent's replies or an allowed handoff text: nothing to
        // look for elsewhere (walking the whole bot took a tenth of a start).
        let givenWhereAllowed = bot.intents.reduce(0) { count, intent in
            count + (intent.responses + intent.details.flatMap(\.responses)).filter { $0.condition?.given.isEmpty == false }.count
        } + bot.ladder.handoffAccepted.filter(isAllowedHandoffText).count
        let misplaced = givenConditions == givenWhereAllowed ? [] : givenOutsideIntentReplies(bot).filter { problem in
            !bot.ladder.handoffAccepted.contains { template in
                template.location.map { LoadProblem(at: $0, problem.message) == problem } == true && isAllowedHandoffText(template)
            }
        }
        guard misplaced.isEmpty else { throw BotLoadFailure(misplaced) }
        return bot
    }

    /// Where an example was read, and its words (`TextNormalizer.tokens`),
    /// worked out once: the checks across files compare examples by their words.
    struct ExampleSource {
        var location: SourceLocation
        var words: [String]
    }

    /// An intent's `details:` may only name details that signals.yaml gives
    /// words for: a detail no customer words ask for would never be said.
    static func detailProblems(_ intents: [Intent], lexicon: Lexicon) -> [LoadProblem] {
        let known = lexicon.details.map(\.name)
        return intents.flatMap { intent in
            intent.details.filter { !known.contains($0.name) }.compactMap { detail in
                detail.location.map { location in
                    LoadProblem(at: location, known.isEmpty
                        ? "\(intent.name) answers the detail '\(detail.name)', but signals.yaml names no details; add 'details:' there with the words that ask for it"
                        : "\(intent.name) answers the detail '\(detail.name)', which signals.yaml's 'details' does not name (it names \(known.joined(separator: ", "))); add it there with the words that ask for it, or correct the name")
                }
            }
        }
    }

    /// A word of signals.yaml's `other_language.words` is a word of another
    /// language only: if the bot's own examples use it, a customer who writes
    /// as they do could be told the bot answers in English, or not be read.
    static func otherLanguageProblems(
        _ intents: [Intent], lexicon: Lexicon, exampleSources: [String: [ExampleSource]]
    ) -> [LoadProblem] {
        let foreign = Set(lexicon[.otherLanguageWords].flatMap(TextNormalizer.tokens))
        guard !foreign.isEmpty else { return [] }
        var problems: [LoadProblem] = []
        var reported: Set<String> = []
        for intent in intents {
            let sources = exampleSources[intent.name] ?? []
            for (index, example) in intent.examples.enumerated() {
                let words = index < sources.count ? sources[index].words : TextNormalizer.tokens(example)
                for word in words where foreign.contains(word) && !reported.contains(word) {
                    reported.insert(word)
                    let location = index < sources.count ? sources[index].location : intent.location
                    problems.append(LoadProblem(
                        at: location ?? SourceLocation(file: intent.topic, line: 1, column: 1),
                        "the example '\(example)' of intent '\(intent.name)' uses '\(word)', which signals.yaml's other_language.words lists as a word of another language; take it out of that list"))
                }
            }
        }
        return problems
    }

    /// `when: {given: ...}` names an intent's slots, so it can only hold in
    /// an intent's `responses`: anywhere else (a prompt, a not_found, a
    /// feedback text, an offer...) the variant could never be said. Every
    /// reply list of the bot is found by walking it, so a new kind of text
    /// cannot be missed.
    static func givenOutsideIntentReplies(_ bot: Bot) -> [LoadProblem] {
        var problems: [LoadProblem] = []
        func walk(_ value: Any, inResponses: Bool) {
            if let template = value as? ResponseTemplate {
                if !inResponses, let condition = template.condition, !condition.given.isEmpty {
                    problems.append(LoadProblem(at: template.location ?? SourceLocation(file: "bot.yaml", line: 1, column: 1),
                                                "'given' in 'when' names an intent's slots, so it only works in an intent's replies"))
                }
                return
            }
            // Nothing below text, tables or lists of words holds a template, and
            // reflecting on every example of every intent is slow.
            // The commonest leaves first: each test is a dynamic cast.
            if value is String || value is Int || value is Bool || value is Double || value is SourceLocation { return }
            if value is DataTable || value is [String] || value is Set<String> || value is [SourceLocation] || value is CustomerSignals
                || value is [EntityType] || value is [IntentPattern] || value is CalendarWords { return }
            for child in Mirror(reflecting: value).children {
                walk(child.value, inResponses: inResponses || (value is Intent && ["responses", "details", "toldMore"].contains(child.label)))
            }
        }
        walk(bot, inResponses: false)
        return problems
    }

    // MARK: - YAML

    static func compose(_ text: String, fields: inout YAMLFields) -> Node? {
        do {
            // No implicit types: every value is read as the text it is (YAMLFields decides what a
            // number or a yes is), and resolving tags ran regular expressions over every scalar.
            guard let root = try Yams.compose(yaml: text, .basic) else {
                fields.problems.isEmpty ? fields.report(at: SourceLocation(file: fields.file, line: 1, column: 1), "file is empty") : ()
                return nil
            }
            return root
        } catch let error as YamlError {
            let (mark, problem) = describe(error)
            fields.report(at: SourceLocation(file: fields.file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                          "invalid YAML: \(problem)")
            return nil
        } catch {
            fields.report(at: SourceLocation(file: fields.file, line: 1, column: 1), "invalid YAML: \(error)")
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> (Mark?, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if let context { return (mark, "\(problem) (\(context.text) at line \(context.mark.line))") }
            return (mark, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return (context.mark, "the key \(keys) appears more than once in the same mapping; keep one")
        case .reader(let problem, _, _, _):
            return (nil, problem)
        default:
            return (nil, String(describing: error))
        }
    }

    // MARK: - bot.yaml

    struct BotSettings {
        var name: String
        var variables: [String: String]
        var variableLocations: [String: SourceLocation]
        var welcome: [ResponseTemplate]
        var fallback: [ResponseTemplate]
        var farewell: [ResponseTemplate]
        var clarify: [ResponseTemplate]
        var ladder: FallbackLadder
        var slotTexts: SlotTexts
        var sessionTexts: SessionTexts
        var feedbackTexts: FeedbackTexts
        var matching: MatchingSettings
        var profileFields: Set<String>
        var support: (hours: SupportHours, texts: SupportTexts)?
        var dueDateTexts: DueDateTexts?
        var calendar: CalendarWords
        var timeLimits: [String: Int] = [:]
        var limitExtensions: [String: LimitExtension] = [:]
        var deliveryEstimates: DeliveryEstimates?
        var privateRecords: [String: [ResponseTemplate]] = [:]

        /// What a handoff's replies may also use, and name in `when: {given: ...}`:
        /// the dialogue manager fills them when bot.yaml has support hours.
        var handoffPlaceholders: Set<String> { support == nil ? [] : SupportTexts.replyPlaceholders }
        /// What a reply looking an order up may also use when bot.yaml words due dates.
        /// `{overdue}` only with `overdue_after`: without it, it would never be filled.
        var lookupPlaceholders: Set<String> {
            guard let dueDateTexts else { return [] }
            return dueDateTexts.overdueAfter == nil ? DueDateTexts.replyPlaceholders.subtracting(["overdue"]) : DueDateTexts.replyPlaceholders
        }
        /// What a reply looking up a row with a `refunded` column may also use, with `refund_shows_within`.
        var refundPlaceholders: Set<String> { dueDateTexts?.refundShowsWithin == nil ? [] : DueDateTexts.refundPlaceholders }

        /// What a response may write as `{name}`: also what `time_limits` fills, which any reply may use.
        var placeholders: Set<String> {
            Set(variables.keys).union(ResponseTemplate.builtInPlaceholders).union(profileFields).union(Bot.timePlaceholders(timeLimits))
                .union(deliveryEstimates == nil ? [] : DeliveryEstimates.placeholders)
        }
    }

    private static func readSettings(_ root: Node, profileFields: Set<String>, tables: [String: DataTable], fields: inout YAMLFields) -> BotSettings? {
        guard let mapping = fields.mapping(root, describing: "bot.yaml") else { return nil }
        let entries = fields.entries(of: mapping, allowed: botKeys, in: "bot.yaml")
        func required(_ key: String) -> Node? {
            if let entry = entries[key] { return entry.value }
            fields.report(root, "bot.yaml is missing '\(key):'")
            return nil
        }
        let name = required("name").flatMap { fields.nonBlankText($0, describing: "the bot's name") }
        var variables: [String: String] = [:]
        var variableLocations: [String: SourceLocation] = [:]
        if let node = entries["variables"]?.value, let map = fields.mapping(node, describing: "'variables'") {
            for (key, value) in map {
                guard let keyText = fields.text(key, describing: "a variable name") else { continue }
                guard isIdentifier(keyText) else {
                    fields.report(key, "'\(keyText)' is not a variable name; use lower-case letters, digits and '_', like shop_name")
                    continue
                }
                if ResponseTemplate.builtInPlaceholders.contains(keyText) {
                    fields.report(key, "'\(keyText)' is filled in by rapport itself; choose another name")
                    continue
                }
                if let text = fields.text(value, describing: "variable '\(keyText)'") {
                    variables[keyText] = text
                    variableLocations[keyText] = fields.location(of: key)
                }
            }
        }
        // A variable may use others ("email {shop_email} the receipt"), filled in here once: only
        // variables with no brace themselves, so the order they are written in does not matter. Any
        // other brace is kept as written, as it always was ("use code {XMAS}").
        let plain = variables.filter { !$0.value.contains("{") }
        for (key, text) in variables where plain[key] == nil {
            variables[key] = plain.reduce(text) { filled, variable in
                filled.replacingOccurrences(of: "{\(variable.key)}", with: variable.value)
            }
        }
        let placeholders = Set(variables.keys).union(ResponseTemplate.builtInPlaceholders).union(profileFields)
        let welcome = required("welcome").flatMap { templates($0, describing: "'welcome'", placeholders: placeholders, fields: &fields) }
        let fallback = required("fallback").flatMap { templates($0, describing: "'fallback'", placeholders: placeholders, fields: &fields) }
        let farewell = required("farewell").flatMap { templates($0, describing: "'farewell'", placeholders: placeholders, fields: &fields) }
        var clarify = Bot.defaultClarify
        if let node = entries["clarify"]?.value,
           let parsed = templates(node, describing: "'clarify'", placeholders: placeholders.union(Bot.clarifyPlaceholders), fields: &fields) {
            clarify = parsed
        }
        var support: (hours: SupportHours, texts: SupportTexts)?
        if let node = entries["support_hours"]?.value {
            support = SupportHoursLoader.readSupport(node, variables: Set(variables.keys).union(ResponseTemplate.builtInPlaceholders), fields: &fields)
        }
        var dueDateTexts: DueDateTexts?
        if let node = entries["due_dates"]?.value { dueDateTexts = SupportHoursLoader.readDueDates(node, fields: &fields) }
        var timeLimits: [String: Int] = [:]
        if let node = entries["time_limits"]?.value { timeLimits = readTimeLimits(node, fields: &fields) }
        var limitExtensions: [String: LimitExtension] = [:]
        if let node = entries["extended_limits"]?.value {
            limitExtensions = readLimitExtensions(node, limits: Set(timeLimits.keys), fields: &fields)
        }
        var deliveryEstimates: DeliveryEstimates?
        if let node = entries["delivery_estimates"]?.value {
            deliveryEstimates = readDeliveryEstimates(node, closedOn: support?.hours.closedOn ?? [], fields: &fields)
        }
        var calendar = CalendarWords.english
        if let node = entries["calendar"]?.value, let read = SupportHoursLoader.readCalendar(node, fields: &fields) { calendar = read }
        var ladder = FallbackLadder.default
        func optional(_ key: String, extra: Set<String> = [], into target: inout [ResponseTemplate]) {
            if let node = entries[key]?.value,
               let parsed = templates(node, describing: "'\(key)'", placeholders: placeholders.union(extra), fields: &fields) {
                target = parsed
            }
        }
        optional("suggest", extra: FallbackLadder.suggestPlaceholders, into: &ladder.suggest)
        optional("offer_handoff", into: &ladder.offerHandoff)
        optional("offer_handoff_frustrated", into: &ladder.offerHandoffFrustrated)
        optional("handoff_accepted", extra: support == nil ? [] : SupportTexts.replyPlaceholders, into: &ladder.handoffAccepted)
        optional("handoff_declined", into: &ladder.handoffDeclined)
        optional("too_long", extra: FallbackLadder.tooLongPlaceholders, into: &ladder.tooLong)
        optional("other_language", into: &ladder.otherLanguage)
        optional("in_english", into: &ladder.inEnglish)
        optional("repeated", extra: FallbackLadder.repeatedPlaceholders, into: &ladder.repeated)
        optional("said_before", extra: FallbackLadder.saidBeforePlaceholders, into: &ladder.saidBefore)
        optional("answer_yes", extra: FallbackLadder.saidBeforePlaceholders, into: &ladder.answerYes)
        optional("answer_no", extra: FallbackLadder.saidBeforePlaceholders, into: &ladder.answerNo)
        optional("declined_request", into: &ladder.declinedRequest)
        optional("cannot_act", extra: FallbackLadder.repeatedPlaceholders, into: &ladder.cannotAct)
        optional("next_step", extra: FallbackLadder.repeatedPlaceholders, into: &ladder.nextStep)
        optional("not_done", extra: FallbackLadder.repeatedPlaceholders, into: &ladder.notDone)
        optional("noted", into: &ladder.noted)
        optional("handed_over", into: &ladder.handedOver)
        optional("handed_over_noted", into: &ladder.handedOverNoted)
        optional("handed_over_question", into: &ladder.handedOverQuestion)
        optional("handed_over_asked", into: &ladder.handedOverAsked)
        optional("handed_over_next", into: &ladder.handedOverNext)
        optional("solved", into: &ladder.solved)
        optional("someone_elses_details", into: &ladder.someoneElsesDetails)
        // `with_the_team: {"ask me for a person and we'll": "our team will"}`: words of answers, and what they become
        // once a person has the conversation.
        if let node = entries["with_the_team"]?.value, let map = fields.mapping(node, describing: "'with_the_team'") {
            for (key, value) in map {
                guard let words = fields.nonBlankText(key, describing: "words of 'with_the_team'"),
                      let becomes = fields.text(value, describing: "what '\(words)' becomes in 'with_the_team'") else { continue }
                if ladder.withTheTeam.contains(where: { $0.words.lowercased() == words.lowercased() }) {
                    fields.report(key, "'\(words)' is already in 'with_the_team'; remove one of them")
                    continue
                }
                ladder.withTheTeam.append(FallbackLadder.Rewording(words: words, becomes: becomes))
            }
        }
        optional("not_in_record", extra: FallbackLadder.notInRecordPlaceholders, into: &ladder.notInRecord)
        optional("arrived_not_in_record", extra: FallbackLadder.arrivedNotInRecordPlaceholders, into: &ladder.arrivedNotInRecord)
        optional("nothing_more", extra: FallbackLadder.repeatedPlaceholders, into: &ladder.nothingMore)
        optional("cannot_answer", into: &ladder.cannotAnswer)
        var slotTexts = SlotTexts.default
        optional("slot_cancelled", into: &slotTexts.cancelled)
        optional("slot_resume", extra: SlotTexts.resumePlaceholders, into: &slotTexts.resume)
        optional("slot_invalid", extra: SlotSpec.invalidPlaceholders, into: &slotTexts.invalid)
        optional("slot_asked_again", extra: SlotTexts.askedAgainPlaceholders, into: &slotTexts.askedAgain)
        var sessionTexts = SessionTexts.default
        optional("pick_up", extra: SessionTexts.pickUpPlaceholders, into: &sessionTexts.pickUp)
        optional("pick_up_declined", into: &sessionTexts.pickUpDeclined)
        optional("still_there", into: &sessionTexts.stillThere)
        optional("timed_out", into: &sessionTexts.timedOut)
        var feedbackTexts = FeedbackTexts.default
        if let node = entries["feedback"]?.value, let map = fields.mapping(node, describing: "'feedback'") {
            let feedbackEntries = fields.entries(of: map, allowed: FeedbackTexts.keys.map(\.0), in: "'feedback'")
            for (key, path) in FeedbackTexts.keys {
                if let node = feedbackEntries[key]?.value,
                   let parsed = templates(node, describing: "'feedback: \(key)'", placeholders: placeholders, fields: &fields) {
                    feedbackTexts[keyPath: path] = parsed
                }
            }
        }
        // `private_records: {orders: [...]}`: a table whose rows are their owners' alone; what a lookup of it
        // says, when it has no `someone_else` of its own, to a message naming the key as someone else's.
        var privateRecords: [String: [ResponseTemplate]] = [:]
        if let node = entries["private_records"]?.value, let map = fields.mapping(node, describing: "'private_records'") {
            for (key, value) in map {
                guard let table = fields.nonBlankText(key, describing: "a table of 'private_records'") else { continue }
                guard tables[table] != nil else {
                    var message = "'private_records' names no table '\(table)'; tables are the .csv files in the data folder beside the intents"
                    if let near = EditDistance.nearest(table, in: tables.keys.sorted()) { message += "; did you mean '\(near)'?" }
                    fields.report(key, message)
                    continue
                }
                if let parsed = templates(value, describing: "'private_records: \(table)'", placeholders: placeholders, fields: &fields) {
                    privateRecords[table] = parsed
                }
            }
        }
        var matching = MatchingSettings.default
        if let node = entries["matching"]?.value, let map = fields.mapping(node, describing: "'matching'") {
            let matchingEntries = fields.entries(of: map, allowed: matchingKeys, in: "'matching'")
            if let threshold = matchingEntries["confidence_threshold"]?.value,
               let value = fields.number(threshold, describing: "confidence_threshold", in: 0...1) {
                if value > 0 {
                    matching.confidenceThreshold = value
                } else {
                    // At 0 every message would match something, however unrelated.
                    fields.report(threshold, "confidence_threshold must be above 0, or the bot never says it did not understand")
                }
            }
            if let margin = matchingEntries["clarify_margin"]?.value,
               let value = fields.number(margin, describing: "clarify_margin", in: 0...1) {
                matching.clarifyMargin = value
            }
        }
        guard let name, let welcome, let fallback, let farewell else { return nil }
        return BotSettings(
            name: name, variables: variables, variableLocations: variableLocations,
            welcome: welcome, fallback: fallback, farewell: farewell, clarify: clarify, ladder: ladder, slotTexts: slotTexts, sessionTexts: sessionTexts, feedbackTexts: feedbackTexts,
            matching: matching, profileFields: profileFields, support: support, dueDateTexts: dueDateTexts, calendar: calendar,
            timeLimits: timeLimits, limitExtensions: limitExtensions, deliveryEstimates: deliveryEstimates, privateRecords: privateRecords
        )
    }

    /// `time_limits:`, a mapping of names (lower case, digits and `_`) to a
    /// whole number of days from 1 to 3650.
    private static func readTimeLimits(_ node: Node, fields: inout YAMLFields) -> [String: Int] {
        guard let map = fields.mapping(node, describing: "'time_limits'") else { return [:] }
        var limits: [String: Int] = [:]
        for (keyNode, valueNode) in map {
            guard let name = fields.nonBlankText(keyNode, describing: "a name in 'time_limits'") else { continue }
            guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), name.first?.isLetter == true else {
                fields.report(keyNode, "'\(name)' in 'time_limits' is not a name: use lower-case letters, digits and '_', like returns")
                continue
            }
            guard let days = fields.wholeDays(valueNode, describing: "'\(name)' in 'time_limits' (days)",
                                              named: "'\(name)' in 'time_limits'", in: 1...3650, like: 30) else { continue }
            limits[name] = days
        }
        return limits
    }

    /// `delivery_estimates:`, `{cutoff: "14:00", standard: [3, 5], express: 1}`:
    /// the time an order must come by to leave that working day, and the
    /// working days standard (fewest and most) and express take after it leaves.
    private static func readDeliveryEstimates(_ node: Node, closedOn: Set<CalendarDay>, fields: inout YAMLFields) -> DeliveryEstimates? {
        guard let map = fields.mapping(node, describing: "'delivery_estimates'") else { return nil }
        let entries = fields.entries(of: map, allowed: ["cutoff", "standard", "express"], in: "'delivery_estimates'")
        for key in ["cutoff", "standard", "express"] where entries[key] == nil {
            fields.report(node, "'delivery_estimates' has no '\(key)'; it needs cutoff (like \"14:00\"), standard (like [3, 5]) and express (like 1)")
        }
        var cutoff: Int?
        if let cutoffNode = entries["cutoff"]?.value, let text = fields.nonBlankText(cutoffNode, describing: "'cutoff' in 'delivery_estimates'") {
            cutoff = SupportHoursLoader.minutes(text)
            if cutoff == nil { fields.report(cutoffNode, "'cutoff' in 'delivery_estimates' is '\(text)', not a time of day; write it like \"14:00\"") }
        }
        var standard: ClosedRange<Int>?
        if let standardNode = entries["standard"]?.value, let list = fields.sequence(standardNode, describing: "'standard' in 'delivery_estimates'") {
            let days = list.compactMap { fields.wholeDays($0, describing: "'standard' in 'delivery_estimates' (working days)",
                                                          named: "a day count in 'standard'", in: 1...60, like: 3) }
            if list.count != 2 {
                fields.report(standardNode, "'standard' in 'delivery_estimates' needs two numbers, the fewest and the most working days, like [3, 5]")
            } else if days.count == 2 {
                if days[0] <= days[1] { standard = days[0]...days[1] } else {
                    fields.report(standardNode, "'standard' in 'delivery_estimates' is [\(days[0]), \(days[1])]; put the fewest working days first, like [3, 5]")
                }
            }
        }
        var express: Int?
        if let expressNode = entries["express"]?.value {
            express = fields.wholeDays(expressNode, describing: "'express' in 'delivery_estimates' (working days)",
                                       named: "'express' in 'delivery_estimates'", in: 1...60, like: 1)
        }
        guard let cutoff, let standard, let express else { return nil }
        return DeliveryEstimates(cutoffMinutes: cutoff, standard: standard, express: express, closedOn: closedOn)
    }

    /// `extended_limits:`, a mapping of a name in `time_limits` to
    /// `{bought_from: YYYY-MM-DD, until: YYYY-MM-DD}`, `until` not before `bought_from`, and
    /// optionally `say:`, what replies say of it while it is in season (`{season_<name>}`).
    private static func readLimitExtensions(_ node: Node, limits: Set<String>, fields: inout YAMLFields) -> [String: LimitExtension] {
        guard let map = fields.mapping(node, describing: "'extended_limits'") else { return [:] }
        var extensions: [String: LimitExtension] = [:]
        for (keyNode, valueNode) in map {
            guard let name = fields.nonBlankText(keyNode, describing: "a name in 'extended_limits'") else { continue }
            guard limits.contains(name) else {
                let known = limits.sorted().joined(separator: ", ")
                fields.report(keyNode, "'\(name)' in 'extended_limits' is not in 'time_limits'\(known.isEmpty ? "" : " (\(known))"); extend a limit that is there")
                continue
            }
            guard let entry = fields.mapping(valueNode, describing: "'\(name)' in 'extended_limits'") else { continue }
            let entries = fields.entries(of: entry, allowed: ["bought_from", "until", "say"], in: "'\(name)' in 'extended_limits'")
            var days: [String: CalendarDay] = [:]
            for key in ["bought_from", "until"] {
                guard let dayNode = entries[key]?.value else {
                    fields.report(valueNode, "'\(name)' in 'extended_limits' has no '\(key)'; give a day like 2026-11-01")
                    continue
                }
                guard let text = fields.nonBlankText(dayNode, describing: "'\(key)' of '\(name)' in 'extended_limits'") else { continue }
                guard let day = CalendarDay(iso: text) else {
                    fields.report(dayNode, "'\(key)' of '\(name)' in 'extended_limits' is '\(text)', not a day; write it like 2026-11-01")
                    continue
                }
                days[key] = day
            }
            guard let from = days["bought_from"], let until = days["until"] else { continue }
            guard until >= from else {
                fields.report(valueNode, "'\(name)' in 'extended_limits' ends (\(until)) before it starts (\(from))")
                continue
            }
            let say = entries["say"].flatMap { fields.nonBlankText($0.value, describing: "'say' of '\(name)' in 'extended_limits'") }
            extensions[name] = LimitExtension(boughtFrom: from, until: until, say: say)
        }
        return extensions
    }

    // MARK: - topic files

    /// The topic's valid intents, each with the location of each of its examples.
    private static func readTopic(
        _ root: Node, topic: String, placeholders: Set<String>?, extra: (handoff: Set<String>, lookup: Set<String>, refund: Set<String>),
        tables: [String: DataTable], fields: inout YAMLFields
    ) -> [(Intent, [ExampleSource])] {
        guard let mapping = fields.mapping(root, describing: "a topic file") else { return [] }
        let entries = fields.entries(of: mapping, allowed: topicKeys, in: "the topic file")
        if let description = entries["description"]?.value {
            _ = fields.text(description, describing: "'description'")
        }
        guard let intentsNode = entries["intents"]?.value else {
            fields.report(root, "the topic file has no 'intents:' list; add one, or remove the file")
            return []
        }
        guard let list = fields.sequence(intentsNode, describing: "'intents'") else { return [] }
        if list.isEmpty {
            fields.report(intentsNode, "'intents' is empty; add at least one intent, or remove the file")
        }
        return list.compactMap { readIntent($0, topic: topic, placeholders: placeholders, extra: extra, tables: tables, fields: &fields) }
    }

    private static func readIntent(
        _ node: Node, topic: String, placeholders: Set<String>?, extra: (handoff: Set<String>, lookup: Set<String>, refund: Set<String>),
        tables: [String: DataTable], fields: inout YAMLFields
    ) -> (Intent, [ExampleSource])? {
        guard let mapping = fields.mapping(node, describing: "an intent") else { return nil }
        let nameNode = mapping["name"]
        let label = nameNode.flatMap { node -> String? in
            if case .scalar(let scalar) = node { return "intent '\(scalar.string)'" }
            return nil
        } ?? "an intent"
        let entries = fields.entries(of: mapping, allowed: intentKeys, in: label)
        guard let nameNode = entries["name"]?.value else {
            fields.report(node, "this intent has no 'name:'; give it a unique name like order_status")
            return nil
        }
        guard let name = fields.nonBlankText(nameNode, describing: "an intent's name") else { return nil }
        var valid = true
        if !isIdentifier(name) {
            fields.report(nameNode, "'\(name)' is not a valid intent name; use lower-case letters, digits and '_', like order_status")
            valid = false
        }
        let summary = entries["summary"].flatMap { fields.text($0.value, describing: "the summary of \(label)") }
        var customerLabel: String?
        if let labelNode = entries["label"]?.value {
            if let text = fields.nonBlankText(labelNode, describing: "the label of \(label)") { customerLabel = text } else { valid = false }
        }
        var examples: [String] = []
        var locations: [ExampleSource] = []
        var seenExamples: [String: SourceLocation] = [:]
        if let examplesNode = entries["examples"]?.value {
            if let list = fields.sequence(examplesNode, describing: "the examples of \(label)") {
                for item in list {
                    guard let example = fields.nonBlankText(item, describing: "an example of \(label)") else { valid = false; continue }
                    let words = TextNormalizer.tokens(example)
                    let key = words.joined(separator: " ")
                    if key.isEmpty {
                        fields.report(item, "the example '\(example)' of \(label) has no words to learn from; write what a customer would type")
                        valid = false
                        continue
                    }
                    if let first = seenExamples[key] {
                        fields.report(item, "'\(example)' repeats the example at line \(first.line) of \(label); remove one")
                        valid = false
                        continue
                    }
                    let location = fields.location(of: item)
                    seenExamples[key] = location
                    examples.append(example)
                    locations.append(ExampleSource(location: location, words: words))
                }
                if list.isEmpty {
                    fields.report(examplesNode, "\(label) has no examples; list at least one thing a customer would say")
                    valid = false
                }
            } else {
                valid = false
            }
        } else if entries["patterns"] == nil {
            // (An intent with patterns and no examples is read by its patterns alone, and never learnt by the
            // classifier: a handoff that must not be guessed, kept from shifting the readings of the rest.)
            fields.report(nameNode, "\(label) has no examples; add 'examples:' with at least one thing a customer would say, or 'patterns:'")
            valid = false
        }
        // Slots, and the data they look up: their names are placeholders the responses may use.
        var slots: [SlotSpec] = []
        // When slots or the lookup are broken, the responses' placeholders are
        // not checked: every use of a slot would be one more error for one mistake.
        var checkResponses = true
        if let slotsNode = entries["slots"]?.value {
            if let parsed = readSlots(slotsNode, label: label, placeholders: placeholders, fields: &fields) {
                slots = parsed
            } else {
                valid = false
                checkResponses = false
            }
        }
        var responsePlaceholders = checkResponses ? placeholders?.union(slots.map(\.name)) : nil
        var lookup: Lookup?
        if let lookupNode = entries["lookup"]?.value {
            if let parsed = readLookup(lookupNode, label: label, slots: slots, tables: tables, placeholders: responsePlaceholders, fields: &fields) {
                lookup = parsed
                if let table = tables[parsed.table] {
                    responsePlaceholders = responsePlaceholders?.union(table.columns.map { "\(table.name).\($0)" })
                    // {due_words}, {days_late}: from a `due` column, worded by bot.yaml's due_dates.
                    if table.columns.contains(DataTable.dueColumn) { responsePlaceholders = responsePlaceholders?.union(extra.lookup) }
                    // {refunded_on}, {refund_overdue}: from a `refunded` column, with due_dates' refund_shows_within.
                    if table.columns.contains("refunded") { responsePlaceholders = responsePlaceholders?.union(extra.refund) }
                    // {stores.today}, {stores.tomorrow}: from a column for every day of the week.
                    if DayColumns.cover(table.columns) {
                        responsePlaceholders = responsePlaceholders?.union(DayColumns.placeholders.map { "\(table.name).\($0)" })
                    }
                }
            } else {
                valid = false
                responsePlaceholders = nil
            }
        }
        // What an action did: {facts} for show_profile, {field} for forget_field and explain_use, {kept} for
        // erase_customer, {use} for explain_use.
        if entries["action"] != nil { responsePlaceholders = responsePlaceholders?.union(["facts", "field", "kept", "use"]) }
        // When a person will answer: {person_when}, {person_how}, {person_meanwhile}.
        if entries["handoff"] != nil { responsePlaceholders = responsePlaceholders?.union(extra.handoff) }
        var responses: [ResponseTemplate] = []
        if let responsesNode = entries["responses"]?.value {
            if let parsed = templates(responsesNode, describing: "the responses of \(label)", placeholders: responsePlaceholders, fields: &fields) {
                responses = parsed
            } else {
                valid = false
            }
        } else {
            fields.report(nameNode, "\(label) has no responses; add 'responses:' with at least one reply")
            valid = false
        }
        // Short answers to one detail: with the same placeholders as the
        // responses, and `when: {given: ...}` variants for a value looked up.
        var details: [IntentDetail] = []
        if let detailsNode = entries["details"]?.value {
            if case .mapping(let map) = detailsNode {
                for (key, value) in map {
                    guard let detail = fields.nonBlankText(key, describing: "a detail name of \(label)"), isIdentifier(detail) else {
                        fields.report(key, "a detail name is lower-case letters, digits and '_', like cost; signals.yaml's 'details' lists them")
                        valid = false
                        continue
                    }
                    if details.contains(where: { $0.name == detail }) {
                        fields.report(key, "\(label) answers the detail '\(detail)' twice; keep one")
                        valid = false
                        continue
                    }
                    if let parsed = templates(value, describing: "the '\(detail)' detail of \(label)", placeholders: responsePlaceholders, fields: &fields) {
                        details.append(IntentDetail(name: detail, responses: parsed, location: fields.location(of: key)))
                    } else {
                        valid = false
                    }
                }
            } else {
                fields.report(detailsNode, "the details of \(label) are a mapping of detail names to replies, like 'cost: [\"It's free.\"]'")
                valid = false
            }
        }
        var toldMore: [ResponseTemplate] = []
        if let node = entries["told_more"]?.value {
            if let parsed = templates(node, describing: "what \(label) says when told more", placeholders: responsePlaceholders, fields: &fields) {
                toldMore = parsed
            } else {
                valid = false
            }
        }
        /// An optional true/false key: false when absent, and `valid` falls when it is not a boolean.
        func flag(_ key: String) -> Bool {
            guard let node = entries[key]?.value else { return false }
            guard let value = fields.bool(node, describing: "'\(key)'") else {
                valid = false
                return false
            }
            return value
        }
        let endsConversation = flag("ends_conversation")
        let handsOff = flag("handoff")
        let suggestible = entries["suggest"] == nil ? true : flag("suggest")
        let resolves = entries["resolves"] == nil ? true : flag("resolves")
        let asksFeedback = flag("ask_feedback")
        let pleasantry = flag("pleasantry")
        let answersYesNo = flag("yes_no")
        var action: ProfileAction?
        if let node = entries["action"]?.value {
            if let text = fields.text(node, describing: "'action'"), let parsed = ProfileAction(rawValue: text) {
                action = parsed
            } else {
                fields.report(node, "'action' must be one of \(ProfileAction.allCases.map(\.rawValue).joined(separator: ", "))")
                valid = false
            }
        }
        var evidence: LoyaltyEvidence?
        if let node = entries["evidence"]?.value {
            if let text = fields.text(node, describing: "'evidence'"), let parsed = LoyaltyEvidence(rawValue: text) {
                evidence = parsed
                if parsed == .purchase && entries["lookup"] == nil {
                    fields.report(node, "'evidence: purchase' counts orders the intent's lookup finds; add a 'lookup:'")
                    valid = false
                }
            } else {
                fields.report(node, "'evidence' must be one of \(LoyaltyEvidence.allCases.map(\.rawValue).joined(separator: ", "))")
                valid = false
            }
        }
        var setsContext: String?
        if let node = entries["sets_context"]?.value {
            if let name = fields.nonBlankText(node, describing: "'sets_context'"), isIdentifier(name) {
                setsContext = name
            } else {
                fields.report(node, "'sets_context' is the name of a context, like delivery (lower-case letters, digits and '_')")
                valid = false
            }
        }
        var minimumConfidence: Double?
        if let node = entries["min_confidence"]?.value {
            if let value = fields.number(node, describing: "'min_confidence'", in: 0...1) { minimumConfidence = value } else { valid = false }
        }
        var contextTurns = Intent.defaultContextTurns
        if let node = entries["context_turns"]?.value {
            if let value = fields.number(node, describing: "'context_turns'", in: 1...100), value == value.rounded() {
                contextTurns = Int(value)
            } else {
                valid = false
            }
            if entries["sets_context"] == nil {
                fields.report(node, "'context_turns' says how long the context of 'sets_context' lasts; add 'sets_context:'")
                valid = false
            }
        }
        var needsContext: [String] = []
        if let node = entries["needs_context"]?.value {
            let items: [Node]
            if case .sequence(let list) = node { items = Array(list) } else { items = [node] }
            for item in items {
                if let name = fields.nonBlankText(item, describing: "'needs_context'"), isIdentifier(name) {
                    needsContext.append(name)
                } else {
                    valid = false
                }
            }
        }
        var notWith: Set<String> = []
        if let node = entries["not_with"]?.value {
            let items: [Node]
            if case .sequence(let list) = node { items = Array(list) } else { items = [node] }
            for item in items {
                if let name = fields.nonBlankText(item, describing: "'not_with'") { notWith.insert(name) } else { valid = false }
            }
        }
        var patterns: [IntentPattern] = []
        if let patternsNode = entries["patterns"]?.value {
            if let list = fields.sequence(patternsNode, describing: "the patterns of \(label)") {
                for item in list {
                    guard let text = fields.nonBlankText(item, describing: "a pattern of \(label)") else { valid = false; continue }
                    do {
                        patterns.append(try IntentPattern(parsing: text, location: fields.location(of: item)))
                    } catch {
                        fields.report(item, "in this pattern of \(label): \(error.message)")
                        valid = false
                    }
                }
            } else {
                valid = false
            }
        }
        var quickReplies: [QuickReply] = []
        if let buttonsNode = entries["buttons"]?.value {
            if let parsed = readButtons(buttonsNode, label: label, fields: &fields) {
                quickReplies = parsed
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        var intent = Intent(
            name: name, topic: topic, summary: summary, label: customerLabel, examples: examples, responses: responses,
            details: details, toldMore: toldMore, endsConversation: endsConversation, handsOff: handsOff, quickReplies: quickReplies,
            patterns: patterns, suggestible: suggestible, slots: slots, lookup: lookup,
            setsContext: setsContext, contextTurns: contextTurns, needsContext: needsContext,
            resolves: resolves, action: action, evidence: evidence, asksFeedback: asksFeedback,
            minimumConfidence: minimumConfidence, isPleasantry: pleasantry, location: fields.location(of: nameNode)
        )
        intent.notWith = notWith
        intent.answersYesNo = answersYesNo
        return (intent, locations)
    }

    /// An intent's slots: each with a name, the entity that fills it, prompts,
    /// and optionally `required: false`, `invalid` texts and `from_last_answer`.
    private static func readSlots(_ node: Node, label: String, placeholders: Set<String>?, fields: inout YAMLFields) -> [SlotSpec]? {
        guard let list = fields.sequence(node, describing: "the slots of \(label)") else { return nil }
        var slots: [SlotSpec] = []
        var valid = true
        for item in list {
            guard let mapping = fields.mapping(item, describing: "a slot of \(label)") else { valid = false; continue }
            let entries = fields.entries(of: mapping, allowed: slotKeys, in: "a slot of \(label)")
            guard let nameNode = entries["name"]?.value, let name = fields.nonBlankText(nameNode, describing: "a slot's name") else {
                if entries["name"] == nil { fields.report(item, "this slot has no 'name:'; give it one like order_number") }
                valid = false
                continue
            }
            guard isIdentifier(name) else {
                fields.report(nameNode, "'\(name)' is not a slot name; use lower-case letters, digits and '_', like order_number")
                valid = false
                continue
            }
            if slots.contains(where: { $0.name == name }) {
                fields.report(nameNode, "\(label) already has a slot '\(name)'")
                valid = false
                continue
            }
            guard let entityNode = entries["entity"]?.value, let entity = fields.nonBlankText(entityNode, describing: "a slot's entity") else {
                if entries["entity"] == nil { fields.report(nameNode, "slot '\(name)' of \(label) has no 'entity:'; name the entity (from entities.yaml) that fills it") }
                valid = false
                continue
            }
            var required = true
            if let node = entries["required"]?.value {
                guard let value = fields.bool(node, describing: "'required'") else { valid = false; continue }
                required = value
            }
            var fromLastAnswer = false
            if let node = entries["from_last_answer"]?.value {
                guard let value = fields.bool(node, describing: "'from_last_answer'") else { valid = false; continue }
                fromLastAnswer = value
            }
            var fromFocus = true
            if let node = entries["from_focus"]?.value {
                guard let value = fields.bool(node, describing: "'from_focus'") else { valid = false; continue }
                fromFocus = value
            }
            let slotPlaceholders = placeholders?.union(slots.map(\.name)).union([name])
            var prompts: [ResponseTemplate] = []
            if let node = entries["prompts"]?.value {
                guard let parsed = templates(node, describing: "the prompts of slot '\(name)'", placeholders: slotPlaceholders, fields: &fields) else { valid = false; continue }
                prompts = parsed
            } else if required {
                fields.report(nameNode, "slot '\(name)' of \(label) is required but has no 'prompts:'; write how the bot asks for it")
                valid = false
                continue
            }
            // The slot's own texts under `key`: none when not written, nil when one is wrong (reported).
            func texts(_ key: String, placeholders allowed: Set<String>?) -> [ResponseTemplate]? {
                guard let node = entries[key]?.value else { return [] }
                return templates(node, describing: "the '\(key)' texts of slot '\(name)'", placeholders: allowed, fields: &fields)
            }
            guard let invalid = texts("invalid", placeholders: placeholders?.union(SlotSpec.invalidPlaceholders)),
                  let unsure = texts("unsure", placeholders: placeholders),
                  let without = texts("without", placeholders: placeholders),
                  let why = texts("why", placeholders: placeholders) else { valid = false; continue }
            slots.append(SlotSpec(name: name, entity: entity, required: required, prompts: prompts, invalid: invalid, unsure: unsure,
                                  without: without, why: why, fromLastAnswer: fromLastAnswer, fromFocus: fromFocus, location: fields.location(of: entityNode)))
        }
        return valid ? slots : nil
    }

    /// `lookup: {table: orders, slot: order_number, not_found: [...]}`.
    private static func readLookup(
        _ node: Node, label: String, slots: [SlotSpec], tables: [String: DataTable], placeholders: Set<String>?, fields: inout YAMLFields
    ) -> Lookup? {
        guard let mapping = fields.mapping(node, describing: "the lookup of \(label)") else { return nil }
        let entries = fields.entries(of: mapping, allowed: lookupKeys, in: "the lookup of \(label)")
        guard let tableNode = entries["table"]?.value, let table = fields.nonBlankText(tableNode, describing: "the lookup's table") else {
            if entries["table"] == nil { fields.report(node, "the lookup of \(label) has no 'table:'; name a table in data/") }
            return nil
        }
        guard tables[table] != nil else {
            let known = tables.keys.sorted()
            var message = "there is no table '\(table)'; tables are the .csv files in the data folder beside the intents"
            if let near = EditDistance.nearest(table, in: known) { message += "; did you mean '\(near)'?" }
            else if !known.isEmpty { message += " (\(known.joined(separator: ", ")))" }
            fields.report(tableNode, message)
            return nil
        }
        guard let slotNode = entries["slot"]?.value, let slot = fields.nonBlankText(slotNode, describing: "the lookup's slot") else {
            if entries["slot"] == nil { fields.report(node, "the lookup of \(label) has no 'slot:'; name the slot whose value is the key") }
            return nil
        }
        guard slots.contains(where: { $0.name == slot }) else {
            fields.report(slotNode, "\(label) has no slot '\(slot)' to look up; declare it under 'slots:'")
            return nil
        }
        // A record that is its owner's alone: said instead of it when the message names it as someone else's.
        var someoneElse: [ResponseTemplate] = []
        if let node = entries["someone_else"]?.value {
            guard let parsed = templates(node, describing: "the someone_else texts of \(label)", placeholders: placeholders, fields: &fields) else { return nil }
            someoneElse = parsed
        }
        // A column of amounts that rows asked about together are added up by, and what is said of the sum.
        var total: Lookup.Total?
        switch (entries["total_of"]?.value, entries["total"]?.value) {
        case (nil, nil):
            break
        case (let columnNode?, let sayNode?):
            guard let column = fields.nonBlankText(columnNode, describing: "the lookup's total_of") else { return nil }
            guard let columns = tables[table]?.columns, columns.contains(column) else {
                var message = "table '\(table)' has no column '\(column)' to add up"
                if let near = EditDistance.nearest(column, in: tables[table]?.columns ?? []) { message += "; did you mean '\(near)'?" }
                fields.report(columnNode, message)
                return nil
            }
            if let bad = tables[table]?.rows.values.compactMap({ $0[column] }).first(where: { !$0.isEmpty && Amount($0) == nil }) {
                fields.report(columnNode, "column '\(column)' of table '\(table)' holds '\(bad)', which is no amount to add up (like £38 or 12.50)")
                return nil
            }
            guard let say = templates(sayNode, describing: "the total texts of \(label)", placeholders: placeholders?.union(Lookup.Total.placeholders),
                                      fields: &fields) else { return nil }
            total = Lookup.Total(column: column, say: say)
        case (let only?, nil), (nil, let only?):
            fields.report(only, "the lookup of \(label) needs both 'total_of:' (the column to add up) and 'total:' (what is said of the sum)")
            return nil
        }
        // Without not_found, every key the slot's entity can give must have a row (checked with the entities).
        guard let notFoundNode = entries["not_found"]?.value else {
            return Lookup(table: table, slot: slot, notFound: [], someoneElse: someoneElse, total: total, location: fields.location(of: tableNode))
        }
        guard let notFound = templates(notFoundNode, describing: "the not_found texts of \(label)", placeholders: placeholders, fields: &fields) else { return nil }
        return Lookup(table: table, slot: slot, notFound: notFound, someoneElse: someoneElse, total: total, location: fields.location(of: tableNode))
    }

    /// Every slot must be filled by an entity that entities.yaml declares.
    /// And when the text said for a wrong answer uses `{example}`, that entity must give one.
    private static func slotEntityProblems(_ intents: [Intent], entities: [EntityType], slotTexts: SlotTexts) -> [LoadProblem] {
        let known = entities.map(\.name)
        var problems: [LoadProblem] = []
        for intent in intents {
            for slot in intent.slots {
                let location = slot.location ?? SourceLocation(file: intent.topic, line: 1, column: 1)
                guard let entity = entities.first(where: { $0.name == slot.entity }) else {
                    var message = "slot '\(slot.name)' of intent '\(intent.name)' is filled by entity '\(slot.entity)', which entities.yaml does not declare"
                    if let near = EditDistance.nearest(slot.entity, in: known) { message += "; did you mean '\(near)'?" }
                    problems.append(LoadProblem(at: location, message))
                    continue
                }
                let said = slot.invalid.isEmpty && slot.required ? slotTexts.invalid : slot.invalid
                if entity.example == nil, said.contains(where: { $0.placeholders.contains { $0.name == "example" && $0.fallback == nil } }) {
                    problems.append(LoadProblem(at: location,
                        "slot '\(slot.name)' of intent '\(intent.name)' says {example} when an answer is wrong, but entity '\(entity.name)' has no 'example:'; add one in entities.yaml (or write {example|...})"))
                }
            }
        }
        return problems
    }

    /// A lookup without `not_found:` must find a row for every value its
    /// slot's entity can give: so the entity must be a list, and each of its
    /// values a key of the table.
    private static func lookupCoverageProblems(_ intents: [Intent], entities: [EntityType], tables: [String: DataTable]) -> [LoadProblem] {
        var problems: [LoadProblem] = []
        for intent in intents {
            guard let lookup = intent.lookup, lookup.notFound.isEmpty, let table = tables[lookup.table],
                  let slot = intent.lookupSlot,
                  let entity = entities.first(where: { $0.name == slot.entity }) else { continue }
            let location = lookup.location ?? intent.location ?? SourceLocation(file: intent.topic, line: 1, column: 1)
            guard case .list(let values) = entity.recognizer else {
                problems.append(LoadProblem(at: location,
                    "the lookup of intent '\(intent.name)' has no 'not_found:', but entity '\(entity.name)' can give any value; write what the bot says when \(lookup.table).csv has no row for it"))
                continue
            }
            let missing = values.map(\.value).filter { table.row(for: $0) == nil }
            if !missing.isEmpty {
                problems.append(LoadProblem(at: location,
                    "the lookup of intent '\(intent.name)' has no 'not_found:', but \(lookup.table).csv has no row for \(missing.map { "'\($0)'" }.joined(separator: ", ")) of entity '\(entity.name)'; add the rows, or write 'not_found:'"))
            }
        }
        return problems
    }

    /// A context an intent needs must be one some intent opens, or the intent could never be answered.
    private static func contextProblems(_ intents: [Intent], opened byEngine: Set<String>) -> [LoadProblem] {
        let opened = Set(intents.compactMap(\.setsContext)).union(byEngine)
        return intents.flatMap { intent in
            intent.needsContext.filter { !opened.contains($0) }.map { context in
                var message = "intent '\(intent.name)' needs context '\(context)', which no intent opens with 'sets_context'; it could never be answered"
                if let near = EditDistance.nearest(context, in: opened.sorted()) { message += "; did you mean '\(near)'?" }
                return LoadProblem(at: intent.location ?? SourceLocation(file: intent.topic, line: 1, column: 1), message)
            }
        }
    }

    /// Quick replies: each either a title (sent as the message too) or a
    /// mapping with `title` and `message`.
    private static func readButtons(_ node: Node, label: String, fields: inout YAMLFields) -> [QuickReply]? {
        guard let list = fields.sequence(node, describing: "the buttons of \(label)") else { return nil }
        var buttons: [QuickReply] = []
        var valid = true
        for item in list {
            if case .mapping(let mapping) = item {
                let entries = fields.entries(of: mapping, allowed: buttonKeys, in: "a button of \(label)")
                guard let titleNode = entries["title"]?.value else {
                    fields.report(item, "this button has no 'title:'; write what the button says")
                    valid = false
                    continue
                }
                guard let title = fields.nonBlankText(titleNode, describing: "a button's title") else { valid = false; continue }
                let message = entries["message"].flatMap { fields.nonBlankText($0.value, describing: "a button's message") }
                buttons.append(QuickReply(title: title, message: message))
            } else if let title = fields.nonBlankText(item, describing: "a button of \(label)") {
                buttons.append(QuickReply(title: title))
            } else {
                valid = false
            }
        }
        return valid ? buttons : nil
    }

    /// A non-empty list of response variants, each parsed as a template whose
    /// placeholders must be in `placeholders` (unchecked when bot.yaml itself is broken).
    static func templates(
        _ node: Node, describing what: String, placeholders: Set<String>?, fields: inout YAMLFields
    ) -> [ResponseTemplate]? {
        guard let list = fields.sequence(node, describing: what) else { return nil }
        if list.isEmpty {
            fields.report(node, "\(what) is an empty list; write at least one reply")
            return nil
        }
        var result: [ResponseTemplate] = []
        var valid = true
        for entry in list {
            // A variant for some customers only: `{text: "...", when: {stage: client}}`.
            var item = entry
            var condition: CustomerCondition?
            var offersPerson = false
            if case .mapping(let mapping) = entry {
                guard mapping["text"] != nil else {
                    // `- Happy to help: anything else?` and `- {name} hi` read as YAML mappings, not replies.
                    fields.report(entry, "this reply is a mapping, not text: YAML reads ': ' and a leading '{' as structure; put the reply in double quotes (for a reply for some customers, write 'text:' and 'when:')")
                    valid = false
                    continue
                }
                let parts = fields.entries(of: mapping, allowed: ["text", "when", "offers"], in: "a reply in \(what)")
                guard let textNode = parts["text"]?.value else { valid = false; continue }
                item = textNode
                if let whenNode = parts["when"]?.value {
                    guard let parsed = ProfileLoader.readCondition(whenNode, fields: &fields) else { valid = false; continue }
                    condition = parsed
                }
                if let offersNode = parts["offers"]?.value {
                    // What the reply ends by offering, which a yes then takes: only a person, so far.
                    guard fields.text(offersNode, describing: "'offers' in a reply") == "person" else {
                        fields.report(offersNode, "'offers' in a reply must be 'person' (the reply ends by offering a person, and a yes hands over)")
                        valid = false
                        continue
                    }
                    offersPerson = true
                }
            }
            guard let text = fields.nonBlankText(item, describing: "a reply in \(what)") else { valid = false; continue }
            do {
                var template = try ResponseTemplate(text, location: fields.location(of: item), condition: condition)
                template.offersPerson = offersPerson
                if let placeholders {
                    for placeholder in template.placeholders where !placeholders.contains(placeholder.name) {
                        fields.report(
                            at: fields.contentLocation(of: item, offset: placeholder.offset),
                            unknownPlaceholderMessage(placeholder.name, known: placeholders)
                        )
                        valid = false
                    }
                }
                result.append(template)
            } catch {
                fields.report(at: fields.contentLocation(of: item, offset: error.offset), "in this reply, \(error.problem)")
                valid = false
            }
        }
        if valid, !result.isEmpty, result.allSatisfy({ $0.condition != nil }) {
            fields.report(node, "every reply in \(what) has a 'when:'; add one for everyone else, without 'when:'")
            valid = false
        }
        return valid ? result : nil
    }

    // MARK: - checks across files

    /// Names in profile.yaml and in `when:` conditions that refer to things
    /// declared elsewhere: fields, entities, intents.
    private static func profileProblems(
        _ catalogue: ProfileCatalogue, settings: BotSettings, intents: [Intent], entities: [EntityType], tables: [String: DataTable],
        details: [String]
    ) -> [LoadProblem] {
        var problems: [LoadProblem] = []
        let fieldNames = catalogue.fields.map(\.name)
        let entityNames = entities.map(\.name)
        func unknown(_ name: String, among names: [String], at location: SourceLocation?, _ message: String) {
            var text = message
            if let near = EditDistance.nearest(name, in: names) { text += "; did you mean '\(near)'?" }
            problems.append(LoadProblem(at: location ?? SourceLocation(file: "profile.yaml", line: 1, column: 1), text))
        }
        for field in catalogue.fields {
            if settings.variables[field.name] != nil {
                let variable = settings.variableLocations[field.name].map { " (bot.yaml:\($0.line))" } ?? ""
                problems.append(LoadProblem(
                    at: field.location ?? SourceLocation(file: "profile.yaml", line: 1, column: 1),
                    "profile field '\(field.name)' has the name of a variable in bot.yaml\(variable); {\(field.name)} could not say both, so rename one (like shop_\(field.name))"))
            }
            if case .entity(let entity) = field.answer, !entityNames.contains(entity) {
                unknown(entity, among: entityNames, at: field.location, "profile field '\(field.name)' reads its answer as entity '\(entity)', which entities.yaml does not declare")
            }
            if let entity = field.inferredFrom, !entityNames.contains(entity) {
                unknown(entity, among: entityNames, at: field.location, "profile field '\(field.name)' is inferred from entity '\(entity)', which entities.yaml does not declare")
            }
        }
        var conditioned: [(CustomerCondition, SourceLocation?)] = []
        let botTexts = [settings.welcome, settings.fallback, settings.farewell, settings.clarify].flatMap { $0 }
        for template in botTexts {
            if let condition = template.condition { conditioned.append((condition, template.location)) }
        }
        for intent in intents {
            for entity in intent.notWith.sorted() where !entityNames.contains(entity) {
                unknown(entity, among: entityNames, at: intent.location,
                        "intent '\(intent.name)' names entity '\(entity)' in 'not_with', which entities.yaml does not declare")
            }
            // A handoff's replies may also wait on what the dialogue manager fills ({person_when}),
            // a lookup's on what it says of a due day ({late}) or a refund's ({refund_overdue}) and on where the clock is in a
            // shop's hours today ({stores.open_now}).
            let dayTable = intent.lookup.flatMap { tables[$0.table] }.flatMap { DayColumns.cover($0.columns) ? $0.name : nil }
            let refundTable = intent.lookup.flatMap { tables[$0.table] }?.columns.contains("refunded") == true
            let slots = intent.slots.map(\.name) + (intent.handsOff ? settings.handoffPlaceholders.sorted() : [])
                + (intent.lookup != nil ? settings.lookupPlaceholders.sorted() + [Bot.cameNotSentGiven] : [])
                + (refundTable ? settings.refundPlaceholders.sorted() : [])
                + (dayTable.map { table in DayColumns.placeholders.map { "\(table).\($0)" } } ?? [])
                + (intent.action == .explainUse ? ProfileAction.explainUseGiven : [])
            // What the conversation fills for any reply (not named among the slots in the message below).
            let conversational = Set(Bot.timePlaceholders(settings.timeLimits)).union([Bot.handedOffGiven]).union(details.map(Bot.declinedGiven)).union(details.map(Bot.toldGiven))
            for template in intent.responses + intent.details.flatMap(\.responses) {
                guard let condition = template.condition else { continue }
                conditioned.append((condition, template.location))
                for name in condition.given where !slots.contains(name) && !conversational.contains(name) {
                    unknown(name, among: slots, at: template.location,
                            slots.isEmpty ? "'given' in 'when' names '\(name)', but intent '\(intent.name)' has no slots"
                                          : "'given' in 'when' names '\(name)', which is not one of intent '\(intent.name)''s slots (\(slots.joined(separator: ", ")))")
                }
            }
        }
        for offer in catalogue.offers {
            conditioned.append((offer.when, offer.location))
            if !offer.when.given.isEmpty {
                problems.append(LoadProblem(at: offer.location ?? SourceLocation(file: "profile.yaml", line: 1, column: 1),
                                            "offer '\(offer.name)' has 'given' in its 'when', but an offer has no slots: 'given' only works in an intent's replies"))
            }
            for name in offer.after where !intents.contains(where: { $0.name == name }) {
                unknown(name, among: intents.map(\.name), at: offer.location, "offer '\(offer.name)' comes after intent '\(name)', which is not declared")
            }
        }
        for (condition, location) in conditioned {
            for name in condition.known + condition.values.keys.sorted() where !fieldNames.contains(name) {
                unknown(name, among: fieldNames + ProfileLoader.conditionKeys, at: location,
                        "'when' names '\(name)', which is neither stage, level, known nor a field in profile.yaml")
            }
        }
        return problems
    }

    private static func crossFileProblems(
        _ intents: [Intent], exampleSources: [String: [ExampleSource]]
    ) -> [LoadProblem] {
        var problems: [LoadProblem] = []
        var firstByName: [String: Intent] = [:]
        var exampleOwner: [String: (intent: Intent, location: SourceLocation?)] = [:]
        for intent in intents {
            if let first = firstByName[intent.name] {
                problems.append(LoadProblem(
                    at: intent.location ?? SourceLocation(file: intent.topic, line: 1, column: 1),
                    "intent '\(intent.name)' is already declared at \(first.location?.description ?? first.topic); rename one of them"
                ))
                continue
            }
            firstByName[intent.name] = intent
            let sources = exampleSources[intent.name] ?? []
            for (index, example) in intent.examples.enumerated() {
                let key = (index < sources.count ? sources[index].words : TextNormalizer.tokens(example)).joined(separator: " ")
                let location = index < sources.count ? sources[index].location : intent.location
                if let owner = exampleOwner[key], owner.intent.name != intent.name {
                    problems.append(LoadProblem(
                        at: location ?? SourceLocation(file: intent.topic, line: 1, column: 1),
                        "the example '\(example)' of intent '\(intent.name)' is also an example of '\(owner.intent.name)' (\(owner.location?.description ?? owner.intent.topic)); an example can teach only one intent"
                    ))
                } else {
                    exampleOwner[key] = (intent, location)
                }
            }
        }
        return problems
    }

    private static func unknownPlaceholderMessage(_ name: String, known: Set<String>) -> String {
        let message = "unknown placeholder {\(name)}"
        if let suggestion = YAMLFields.nearest(name, in: known.sorted()) {
            return message + "; did you mean {\(suggestion)}?"
        }
        let list = known.sorted().map { "{\($0)}" }.joined(separator: ", ")
        return message + "; the placeholders available are \(list) (declare more under 'variables:' in bot.yaml)"
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase else { return false }
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }
    }
}
