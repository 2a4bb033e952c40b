import Foundation
import RapportCore

/// Renders results for people (a diff per failure and a summary line) and for
/// CI systems (JUnit XML).
public enum TestReport {
    /// One block per transcript, then `N passed, N failed`.
    public static func text(_ results: [TranscriptResult]) -> String {
        var out = ""
        for result in results {
            if let skipped = result.skipped {
                out += "SKIP " + result.file + "  " + result.title + " (\(skipped))\n"
                continue
            }
            out += (result.passed ? "PASS " : "FAIL ") + result.file + "  " + result.title + "\n"
            for problem in result.problems {
                out += "  \(problem)\n"
            }
            for failure in result.failures {
                let turn = failure.turn == 0 ? "welcome" : "turn \(failure.turn)"
                out += "  \(result.file):\(failure.line): \(turn)"
                if let text = failure.customerText { out += ", you> \(text)" }
                out += ": \(failure.message)\n"
                if failure.expected != nil || failure.actual != nil {
                    out += "    expected: \(failure.expected ?? "(nothing)")\n"
                    out += "    actual:   \(failure.actual ?? "(nothing)")\n"
                }
            }
        }
        out += summary(results) + "\n"
        return out
    }

    /// `N passed, N failed`, and `, N skipped` when some were written for another matcher.
    public static func summary(_ results: [TranscriptResult]) -> String {
        let failed = results.filter { !$0.passed }.count
        let skipped = results.filter { $0.skipped != nil }.count
        return "\(results.count - failed - skipped) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : "")
    }

    /// JUnit XML: one test suite, one test case per transcript.
    public static func junit(_ results: [TranscriptResult]) -> String {
        let failed = results.filter { !$0.passed }.count
        let skipped = results.filter { $0.skipped != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites tests=\"\(results.count)\" failures=\"\(failed)\">\n"
        out += "  <testsuite name=\"rapport transcripts\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\""
            + (skipped > 0 ? " skipped=\"\(skipped)\"" : "") + ">\n"
        for result in results {
            out += "    <testcase classname=\"\(escape(result.file))\" name=\"\(escape(result.title))\""
            if let reason = result.skipped {
                out += ">\n      <skipped message=\"\(escape(reason))\"/>\n    </testcase>\n"
                continue
            }
            if result.passed {
                out += "/>\n"
                continue
            }
            out += ">\n"
            let lines = result.problems.map(\.description) + result.failures.map { failure in
                var line = "line \(failure.line): \(failure.message)"
                if let expected = failure.expected { line += "; expected: \(expected)" }
                if let actual = failure.actual { line += "; actual: \(actual)" }
                return line
            }
            let message = result.problems.isEmpty ? "\(result.failures.count) expectation(s) not met" : "the transcript cannot be read"
            out += "      <failure message=\"\(escape(message))\">\(escape(lines.joined(separator: "\n")))</failure>\n"
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 cannot hold most control characters at all.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { out += "?" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// What no transcript reaches: intents never answered, reply variants never used.
public struct CoverageReport: Hashable, Sendable {
    public var intentsMissed: [String]
    public var variantsMissed: [(source: String, index: Int, text: String)]
    public var intentCount: Int
    public var variantCount: Int

    public static func == (lhs: CoverageReport, rhs: CoverageReport) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public init(bot: Bot, results: [TranscriptResult]) {
        let used = results.reduce(into: Set<VariantChoice>()) { $0.formUnion($1.variantsUsed) }
        let matched = results.reduce(into: Set<String>()) { $0.formUnion($1.intentsMatched) }
        intentsMissed = bot.intents.map(\.name).filter { !matched.contains($0) }
        var lists: [(String, VariantChoice.Source, [ResponseTemplate])] = [
            ("welcome", .welcome, bot.welcome), ("fallback", .fallback, bot.fallback), ("farewell", .farewell, bot.farewell),
            ("clarify", .clarify, bot.clarify),
            ("suggest", .suggest, bot.ladder.suggest), ("offer_handoff", .offerHandoff, bot.ladder.offerHandoff),
            ("offer_handoff_frustrated", .offerHandoffFrustrated, bot.ladder.offerHandoffFrustrated),
            ("handoff_accepted", .handoffAccepted, bot.ladder.handoffAccepted),
            ("handoff_declined", .handoffDeclined, bot.ladder.handoffDeclined),
            ("too_long", .tooLong, bot.ladder.tooLong), ("other_language", .otherLanguage, bot.ladder.otherLanguage),
            ("in_english", .inEnglish, bot.ladder.inEnglish),
            ("still_there", .stillThere, bot.sessionTexts.stillThere), ("timed_out", .timedOut, bot.sessionTexts.timedOut),
        ]
        if bot.intents.contains(where: { $0.asksFeedback || $0.action == .giveFeedback }) {
            let texts = bot.feedbackTexts
            lists += [
                ("feedback ask", .feedbackAsk, texts.ask), ("feedback ask_requested", .feedbackAskRequested, texts.askRequested),
                ("feedback ask_again", .feedbackAskAgain, texts.askAgain),
                ("feedback expectation", .feedbackExpectation, texts.expectation), ("feedback recommend", .feedbackRecommend, texts.recommend),
                ("feedback comment", .feedbackComment, texts.comment), ("feedback dropped", .feedbackDropped, texts.dropped),
                ("feedback thanks", .feedbackThanks, texts.thanks), ("feedback sorry_offer", .feedbackSorryOffer, texts.sorryOffer),
                ("feedback reason_noted", .feedbackReasonNoted, texts.reasonNoted),
            ]
        }
        // A give_feedback intent's responses are never said: its questions are.
        lists += bot.intents.filter { $0.action != .giveFeedback }.map { ($0.name, .intent($0.name), $0.responses) }
        for intent in bot.intents {
            for slot in intent.slots {
                lists.append(("\(intent.name) prompt for \(slot.name)", .prompt(intent: intent.name, slot: slot.name), slot.prompts))
                // Without its own texts, a slot says the bot's slot_invalid (counted below).
                lists.append(("\(intent.name) invalid \(slot.name)", .invalid(intent: intent.name, slot: slot.name), slot.invalid))
                lists.append(("\(intent.name) unsure \(slot.name)", .unsure(intent: intent.name, slot: slot.name), slot.unsure))
                lists.append(("\(intent.name) without \(slot.name)", .without(intent: intent.name, slot: slot.name), slot.without))
                lists.append(("\(intent.name) why \(slot.name)", .why(intent: intent.name, slot: slot.name), slot.why))
            }
            if let lookup = intent.lookup {
                lists.append(("\(intent.name) not_found", .notFound(intent: intent.name), lookup.notFound))
                lists.append(("\(intent.name) someone_else", .someoneElse(intent: intent.name), lookup.someoneElse))
                lists.append(("\(intent.name) total", .total(intent: intent.name), lookup.total?.say ?? []))
            }
            if !intent.toldMore.isEmpty {
                lists.append(("\(intent.name) told more", .toldMore(intent: intent.name), intent.toldMore))
            }
            for detail in intent.details {
                lists.append(("\(intent.name) detail \(detail.name)", .detail(intent: intent.name, detail: detail.name), detail.responses))
            }
        }
        for (table, texts) in bot.privateRecords.sorted(by: { $0.key < $1.key })
        where bot.intents.contains(where: { $0.lookup?.table == table && $0.lookup?.someoneElse.isEmpty == true }) {
            lists.append(("private_records \(table)", .privateRecord(table: table), texts))
        }
        if bot.intents.contains(where: { !$0.slots.isEmpty }) {
            // Only a conversation that stopped while asking for a slot can be picked up.
            lists.append(("pick_up", .pickUp, bot.sessionTexts.pickUp))
            lists.append(("pick_up_declined", .pickUpDeclined, bot.sessionTexts.pickUpDeclined))
            lists.append(("slot_cancelled", .cancelled, bot.slotTexts.cancelled))
            lists.append(("slot_resume", .resume, bot.slotTexts.resume))
            lists.append(("slot_asked_again", .slotAskedAgain, bot.slotTexts.askedAgain))
        }
        if bot.intents.contains(where: { $0.slots.contains { $0.required && $0.invalid.isEmpty } }) {
            lists.append(("slot_invalid", .slotInvalid, bot.slotTexts.invalid))
        }
        let profile = bot.profile
        if !profile.fields.isEmpty {
            let texts = profile.texts
            lists += [
                ("remembered", .remembered, texts.remembered), ("declined", .declined, texts.declined),
                ("knows_nothing", .knowsNothing, texts.knowsNothing), ("not_known", .notKnown, texts.notKnown),
                ("which_field", .whichField, texts.whichField), ("erased", .erased, texts.erased),
                ("erasure_cancelled", .erasureCancelled, texts.erasureCancelled), ("erasure_unclear", .erasureUnclear, texts.erasureUnclear),
                ("erasure_not_confirmed", .erasureNotConfirmed, texts.erasureNotConfirmed),
                ("erasure_elsewhere", .erasureElsewhere, texts.erasureElsewhere),
                ("erasure_standing", .erasureStanding, texts.erasureStanding), ("check_back", .checkBack, texts.checkBack),
                ("check_back_good", .checkBackGood, texts.checkBackGood), ("check_back_bad", .checkBackBad, texts.checkBackBad),
            ]
            for field in profile.fields {
                lists.append(("question for \(field.name)", .profileQuestion(field.name), field.questions))
                lists.append(("purpose of \(field.name)", .profilePurpose(field.name), field.purpose))
                lists.append(("use of \(field.name)", .profileUse(field.name), field.use))
            }
            lists += profile.offers.map { ("offer \($0.name)", .offer($0.name), $0.texts) }
        }
        variantsMissed = []
        variantCount = 0
        for (name, source, templates) in lists {
            for (index, template) in templates.enumerated() {
                variantCount += 1
                if !used.contains(VariantChoice(source: source, index: index)) {
                    variantsMissed.append((name, index, template.source))
                }
            }
        }
        intentCount = bot.intents.count
    }

    public var text: String {
        var out = "Coverage: \(intentCount - intentsMissed.count)/\(intentCount) intents answered, "
        out += "\(variantCount - variantsMissed.count)/\(variantCount) reply variants used\n"
        if !intentsMissed.isEmpty {
            out += "Intents no transcript reaches:\n"
            out += intentsMissed.map { "  \($0)\n" }.joined()
        }
        if !variantsMissed.isEmpty {
            out += "Reply variants no transcript uses:\n"
            for (source, index, text) in variantsMissed {
                let short = text.count > 70 ? String(text.prefix(67)) + "..." : text
                out += "  \(source) #\(index + 1): \(short)\n"
            }
        }
        return out
    }
}
