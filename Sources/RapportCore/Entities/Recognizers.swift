import Foundation

/// A value found by a built-in recogniser, before it is named.
struct RecognizedValue {
    var range: Range<String.Index>
    var value: String
}

/// Dates as customers write them, normalised to `yyyy-MM-dd` in a fixed
/// time zone relative to the moment of the message:
/// - `today`, `tomorrow`, `yesterday`, `the day after tomorrow`, `the day before yesterday`;
/// - weekdays: `friday` and `next friday` are the coming one (not today),
///   `this friday` may be today, `last friday` the one before today;
/// - `in 3 days`, `in two weeks`, `3 days ago`, `5 weeks ago`, `2 months ago`, `a fortnight ago`
///   (not `last week`, which the ranker reads better as words: "I moved last week");
/// - a month alone after `in`, `since`, `during` or `back in` ("bought it in September"): its last
///   day when that month is past, its first when it is to come, whichever is nearer;
/// - `2026-11-23`; `23/11/2026`, `23.11.26` and `23/11` (with dots only when the year is there) (day first, unless the
///   entity says otherwise);
/// - `23 November`, `23rd of Nov 2026`, `November 23`, `Nov 23rd, 2026`; without
///   a year, the year that puts the date nearest the message.
struct DateRecognizer {
    let now: Date
    let dayFirst: Bool
    /// Gregorian in the recogniser's time zone; made once, used for every date found.
    private let calendar: Calendar

    init(now: Date, timeZone: TimeZone, dayFirst: Bool) {
        self.now = now
        self.dayFirst = dayFirst
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let monthPattern =
        "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
    private static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    /// The words `monthPattern` matches, each of which it takes only whole.
    private static let monthWords: Set<String> = [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
        "aug", "august", "sep", "sept", "september", "sepember", "oct", "october", "nov", "november", "dec", "december",
    ]
    /// The units `offset` counts in.
    private static let unitWords: Set<String> = ["day", "days", "week", "weeks", "fortnight", "fortnights", "month", "months"]
    /// The words `relative` cannot match without one of.
    private static let relativeWords: Set<String> = ["today", "tonight", "tomorrow", "tmrw", "yesterday"]
    /// Counts written as words ("a", "two"...), for dates and for counting things (`CustomerSignals.count(of:in:)`).
    static let numberWords = ["a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                                      "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10]

    nonisolated(unsafe) private static let iso = try! Regex(#"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"#).asciiOnlyDigits()
    nonisolated(unsafe) private static let numeric = try! Regex(#"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?\b(?![.,/]?\d)"#).asciiOnlyDigits()
    nonisolated(unsafe) private static let dayMonth = try! Regex(
        #"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"# + monthPattern + #"\b(?:,?\s+(\d{4}))?"#).ignoresCase().asciiOnlyDigits()
    nonisolated(unsafe) private static let monthDay = try! Regex(
        #"\b"# + monthPattern + #"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?"#).ignoresCase().asciiOnlyDigits()
    nonisolated(unsafe) private static let relative = try! Regex(
        #"\b(?:(?:the\s+)?day\s+(after\s+tomorrow|before\s+yesterday)|today|tonight|tomorrow|tmrw|yesterday)\b"#).ignoresCase()
    nonisolated(unsafe) private static let weekday = try! Regex(
        #"\b(?:(next|last|this|on)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"#).ignoresCase()
    nonisolated(unsafe) private static let offset = try! Regex(
        #"\b(?:in\s+(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?|fortnights?|months?)|(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?|fortnights?|months?)\s+ago)\b"#).ignoresCase().asciiOnlyDigits()
    nonisolated(unsafe) private static let monthAlone = try! Regex(
        #"\b(in|since|during|back\s+in)\s+(?:early\s+|mid\s+|late\s+)?"# + monthPattern + #"\b(?!\s*\d)"#).ignoresCase().asciiOnlyDigits()

    nonisolated(unsafe) private static let spanSince = try! Regex(
        #"\b(?:been\s+(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+|like\s+|roughly\s+)?(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?|fortnights?|months?)|(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?|fortnights?|months?)\s+since)\b"#).ignoresCase().asciiOnlyDigits()

    /// "It's been about 5 weeks", "5 weeks since I bought it": `text` with each
    /// such span written as the day it counts back to ("5 weeks ago"), for a
    /// message that says when something was bought; nil when it has none. Not
    /// among the dates `matches(in:)` finds, which are part of how every message
    /// and example reads to the ranker ("it's been a week already and it's still
    /// not here" is a late order, not a day).
    static func spansWrittenAsAgo(_ text: String) -> String? {
        guard text.range(of: "been", options: .caseInsensitive) != nil || text.range(of: "since", options: .caseInsensitive) != nil else { return nil }
        var changed = false
        let written = text.replacing(spanSince) { match -> String in
            changed = true
            let count = match.output[1].substring ?? match.output[3].substring ?? ""
            let unit = match.output[2].substring ?? match.output[4].substring ?? ""
            return "\(count) \(unit) ago"
        }
        return changed ? written : nil
    }

    func matches(in text: String) -> [RecognizedValue] {
        var found: [RecognizedValue] = []
        let today = calendar.dateComponents([.year, .month, .day, .weekday], from: now)
        // Days are counted from today's noon, not the moment: "tomorrow" said at 23:30 is
        // tomorrow even where the clocks skip that hour, and every reading holds all day.
        let noon = self.noon(of: today)
        func add(_ range: Range<String.Index>, _ date: Date?) {
            if let date { found.append(RecognizedValue(range: range, value: format(date))) }
        }
        // Regex matching is slow, and most messages hold no date: a pattern
        // runs only when the text has what it cannot match without.
        let hasDigit = TextClues.hasDigit(text)
        let hasMonth: Bool, hasDayWord: Bool, hasRelative: Bool, hasWeekday: Bool
        if let words = TextClues.asciiWords(text) {
            // Each pattern's own words, which it cannot match without, each a whole word.
            hasMonth = !words.isDisjoint(with: Self.monthWords)
            hasDayWord = !words.isDisjoint(with: Self.unitWords)
            hasRelative = !words.isDisjoint(with: Self.relativeWords)
            hasWeekday = !words.isDisjoint(with: Self.weekdays)
        } else {
            // Outside ASCII a letter may be written in several ways: what the words hold, lower-cased.
            let folded = text.lowercased()
            hasMonth = TextClues.containsAny(folded: folded, Self.months)
            hasDayWord = TextClues.containsAny(folded: folded, ["day", "week", "tonight", "tomorrow", "tmrw", "month", "fortnight"])
            hasRelative = hasDayWord && TextClues.containsAny(folded: folded, Self.relativeWords)
            hasWeekday = hasDayWord && TextClues.containsAny(folded: folded, Self.weekdays)
        }
        for match in TextClues.hasDigits(4, before: [UInt8(ascii: "-")], in: text) ? text.matches(of: Self.iso) : [] {
            guard let year = Self.number(match, 1), let month = Self.number(match, 2), let dayNumber = Self.number(match, 3) else { continue }
            add(match.range, day(year, month, dayNumber))
        }
        for match in TextClues.hasDigits(1, before: [UInt8(ascii: "/"), UInt8(ascii: ".")], in: text, digitAfter: true) ? text.matches(of: Self.numeric) : [] {
            // Part of a longer number ("1.2.3", "10/12/5") is not a date.
            if match.range.lowerBound > text.startIndex,
               let before = text[text.index(before: match.range.lowerBound)...].first,
               before.isNumber || ".,/".contains(before) { continue }
            // "2.5" is a number far more often than the 2nd of May: dots need a year.
            if match.output[3].substring == nil, text[match.range].contains(".") { continue }
            guard let first = Self.number(match, 1), let second = Self.number(match, 2) else { continue }
            let (dayNumber, month) = dayFirst ? (first, second) : (second, first)
            if let yearText = match.output[3].substring {
                guard var year = Int(yearText) else { continue }
                if yearText.count == 2 { year += 2000 }
                add(match.range, day(year, month, dayNumber))
            } else {
                add(match.range, nearest(month: month, day: dayNumber, today: today))
            }
        }
        for (regex, dayGroup, monthGroup) in [(Self.dayMonth, 1, 2), (Self.monthDay, 2, 1)] where hasDigit && hasMonth {
            for match in text.matches(of: regex) {
                guard let dayNumber = Self.number(match, dayGroup), let monthName = match.output[monthGroup].substring?.lowercased() else { continue }
                guard let month = Self.months.firstIndex(where: { monthName.hasPrefix($0) }).map({ $0 + 1 }) else { continue }
                if let yearText = match.output[3].substring {
                    guard let year = Int(yearText) else { continue }
                    add(match.range, day(year, month, dayNumber))
                } else {
                    add(match.range, nearest(month: month, day: dayNumber, today: today))
                }
            }
        }
        for match in hasRelative ? text.matches(of: Self.relative) : [] {
            let words = text[match.range].lowercased()
            let shift: Int
            if words.hasSuffix("after tomorrow") { shift = 2 }
            else if words.hasSuffix("before yesterday") { shift = -2 }
            else if words.hasPrefix("tomorrow") || words == "tmrw" { shift = 1 }
            else if words == "yesterday" { shift = -1 }
            else { shift = 0 }
            add(match.range, calendar.date(byAdding: .day, value: shift, to: noon))
        }
        for match in hasWeekday ? text.matches(of: Self.weekday) : [] {
            let qualifier = match.output[1].substring?.lowercased()
            guard let name = match.output[2].substring?.lowercased(), let index = Self.weekdays.firstIndex(of: name) else { continue }
            let target = index + 1
            let current = today.weekday ?? 1
            let ahead = (target - current + 7) % 7
            let shift: Int
            switch qualifier {
            case "last": shift = ahead == 0 ? -7 : ahead - 7
            case "this": shift = ahead
            default: shift = ahead == 0 ? 7 : ahead
            }
            add(match.range, calendar.date(byAdding: .day, value: shift, to: noon))
        }
        for match in hasDayWord ? text.matches(of: Self.offset) : [] {
            let future = match.output[1].substring != nil
            let countText = (match.output[future ? 1 : 3].substring ?? "").lowercased()
            let unit = (match.output[future ? 2 : 4].substring ?? "").lowercased()
            guard let count = Int(countText) ?? Self.numberWords[countText] else { continue }
            if unit.hasPrefix("month") {
                add(match.range, calendar.date(byAdding: .month, value: future ? count : -count, to: noon))
                continue
            }
            let days = count * (unit.hasPrefix("fortnight") ? 14 : unit.hasPrefix("week") ? 7 : 1) * (future ? 1 : -1)
            add(match.range, calendar.date(byAdding: .day, value: days, to: noon))
        }
        // "Bought it in September": the whole month, so its last day when past (no sooner than it
        // could have been), its first when to come; "since" and "back in" are always past.
        for match in hasMonth ? text.matches(of: Self.monthAlone) : [] {
            guard let monthName = match.output[2].substring?.lowercased(),
                  let month = Self.months.firstIndex(where: { monthName.hasPrefix($0) }).map({ $0 + 1 }),
                  let year = today.year, let current = today.month else { continue }
            if month == current { continue } // "in December", said in December: no one day
            let ahead = (month - current + 12) % 12
            let past = ["since", "back"].contains { match.output[1].substring?.lowercased().hasPrefix($0) == true }
            if ahead <= 6 && !past {
                add(match.range, day(month < current ? year + 1 : year, month, 1))
            } else {
                let pastYear = month > current ? year - 1 : year
                let first = day(pastYear, month, 1)
                add(match.range, first.flatMap { calendar.date(byAdding: DateComponents(month: 1, day: -1), to: $0) })
            }
        }
        return found
    }

    /// A capture group as a whole number (ASCII digits only, as the patterns match).
    private static func number(_ match: Regex<AnyRegexOutput>.Match, _ group: Int) -> Int? {
        match.output[group].substring.flatMap { Int($0) }
    }

    /// A real calendar day, or nil ("31/02" is not a date).
    private func day(_ year: Int, _ month: Int, _ day: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (1900...2199).contains(year) else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: 12)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month else { return nil }
        return date
    }

    /// A day and month without a year: the occurrence nearest the message's
    /// day (counted from its noon, as the candidates are, so the answer is the
    /// same all day long; a tie goes to the earlier).
    private func nearest(month: Int, day dayNumber: Int, today: DateComponents) -> Date? {
        let year = today.year ?? 2000
        let noon = self.noon(of: today)
        let candidates = [year - 1, year, year + 1].compactMap { day($0, month, dayNumber) }
        return candidates.min { abs($0.timeIntervalSince(noon)) < abs($1.timeIntervalSince(noon)) }
    }

    /// Noon of the day `today` names (the message's day), where dates are counted from.
    private func noon(of today: DateComponents) -> Date {
        day(today.year ?? 2000, today.month ?? 1, today.day ?? 1) ?? now
    }

    /// The day `now` falls on in `timeZone`, as days since 1 January 1970:
    /// every date this recognizer reads depends on that day alone.
    static func dayNumber(of now: Date, in timeZone: TimeZone) -> Int {
        let local = now.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: now))
        return Int((local / 86_400).rounded(.down))
    }

    private func format(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// Sums of money with a currency, normalised to two decimals and an ISO
/// code: `£12.50`, `12.50 GBP`, `€4,99`, `$1,200`, `12 pounds`, `20 quid`,
/// `50p`. A number without a currency is not an amount.
enum AmountRecognizer {
    /// Digits, with thousands separators or not, and up to two decimals; a
    /// longer run ("1.234", "12.345") is not an amount at all.
    private static let number = #"(\d{1,3}(?:,\d{3})+|\d+)(?:[.,](\d{1,2}))?(?!\d)(?![.,]\d)"#
    nonisolated(unsafe) private static let prefixed = try! Regex(#"(?:([£$€])|\b(gbp|usd|eur)\s?)\s?"# + number).ignoresCase().asciiOnlyDigits()
    nonisolated(unsafe) private static let suffixed = try! Regex(
        #"\b"# + number + #"\s?(pounds?|quid|gbp|euros?|eur|dollars?|usd|bucks|pence|p)\b"#).ignoresCase().asciiOnlyDigits()

    private static let symbols = ["£": "GBP", "$": "USD", "€": "EUR"]

    static func matches(in text: String) -> [RecognizedValue] {
        var found: [RecognizedValue] = []
        // Every amount has a digit; most messages have none, and regex matching is slow.
        guard TextClues.hasDigit(text) else { return found }
        // Each pattern only where what it cannot match without is there: a currency before the
        // number, or a unit's first letter just after a digit.
        let folded = text.lowercased()
        let hasCurrency = text.unicodeScalars.contains(where: { $0 == "£" || $0 == "$" || $0 == "€" }) || TextClues.containsAny(folded: folded, ["gbp", "usd", "eur"])
        for match in hasCurrency ? text.matches(of: prefixed) : [] {
            let currency = match.output[1].substring.flatMap { symbols[String($0)] }
                ?? match.output[2].substring.map { $0.uppercased() } ?? "GBP"
            if let value = amount(whole: match.output[3].substring, fraction: match.output[4].substring, currency: currency) {
                found.append(RecognizedValue(range: match.range, value: value))
            }
        }
        for match in unitFollowsADigit(text) ? text.matches(of: suffixed) : [] {
            guard let unit = match.output[3].substring?.lowercased() else { continue }
            let currency: String
            var pence = false
            switch unit {
            case "pound", "pounds", "quid", "gbp": currency = "GBP"
            case "euro", "euros", "eur": currency = "EUR"
            case "pence", "p": currency = "GBP"; pence = true
            default: currency = "USD"
            }
            if pence {
                guard match.output[2].substring == nil, let count = match.output[1].substring.flatMap({ Int($0) }) else { continue }
                found.append(RecognizedValue(range: match.range, value: String(format: "%d.%02d GBP", count / 100, count % 100)))
            } else if let value = amount(whole: match.output[1].substring, fraction: match.output[2].substring, currency: currency) {
                found.append(RecognizedValue(range: match.range, value: value))
            }
        }
        return found
    }

    /// Whether an ASCII digit is followed by the first letter of a unit
    /// `suffixed` knows ("20 quid", "50p", "3 euros"), with at most one white
    /// space between as the pattern reads it: a character, which may be more
    /// than one scalar ("\r\n", a space with a combining mark).
    static func unitFollowsADigit(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        let firstLetters: Set<Unicode.Scalar> = ["p", "q", "g", "e", "d", "u", "b", "P", "Q", "G", "E", "D", "U", "B"]
        func between(_ scalar: Unicode.Scalar) -> Bool {
            let properties = scalar.properties
            return properties.isWhitespace || [.nonspacingMark, .spacingMark, .enclosingMark].contains(properties.generalCategory)
                || properties.isGraphemeExtend || scalar == "\u{200D}"
        }
        for (index, scalar) in scalars.enumerated() where ("0"..."9").contains(scalar) {
            var next = index + 1
            while next < scalars.count, between(scalars[next]) { next += 1 }
            if next < scalars.count, firstLetters.contains(scalars[next]) { return true }
        }
        return false
    }

    /// "12" and "5" → "12.50 GBP", in whole numbers so nothing is lost to floating point.
    private static func amount(whole: Substring?, fraction: Substring?, currency: String) -> String? {
        guard let whole else { return nil }
        let digits = whole.filter { $0 != "," }
        guard !digits.isEmpty, digits.count <= 12 else { return nil }
        let trimmed = String(digits.drop { $0 == "0" })
        var cents = fraction.map(String.init) ?? "00"
        if cents.count == 1 { cents += "0" }
        return "\(trimmed.isEmpty ? "0" : trimmed).\(cents) \(currency)"
    }
}

/// Cheap tests that let a recogniser skip its regular expressions on text
/// they could not match.
enum TextClues {
    static func hasDigit(_ text: String) -> Bool {
        text.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Whether `text` has `count` ASCII digits in a row, then one of `marks`
    /// (and, if `digitAfter`, a digit after it): "2026-" of an ISO date, "3/" of "3/12".
    static func hasDigits(_ count: Int, before marks: [UInt8], in text: String, digitAfter: Bool = false) -> Bool {
        var run = 0
        var markAt: Int?
        for (index, byte) in text.utf8.enumerated() {
            let digit = byte >= 0x30 && byte <= 0x39
            if digit, digitAfter, markAt == index - 1 { return true }
            markAt = nil
            if !digit, run >= count, marks.contains(byte) {
                if !digitAfter { return true }
                markAt = index
            }
            run = digit ? run + 1 : 0
        }
        return false
    }

    /// An ASCII text's words, lower-cased: its runs of letters ("1st" holds
    /// "st", "may5" holds "may"). A pattern's word between word boundaries
    /// (`\b`, or a space) is one of them, in any case. Nil for text outside
    /// ASCII, where a pattern ignoring case may match letters written otherwise.
    static func asciiWords(_ text: String) -> Set<String>? {
        var words: Set<String> = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) {
                word.append(byte | 0x20)
            } else if !word.isEmpty {
                words.insert(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.insert(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// Whether the text, already lower-cased, contains any of these lower-case words or word parts.
    static func containsAny(folded: String, _ parts: some Sequence<String>) -> Bool {
        parts.contains { folded.contains($0) }
    }
}
