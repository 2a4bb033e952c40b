import Foundation
import Testing
@testable import RapportCore

/// Monday 23 November 2026, 10:00 UTC: the moment every message here is sent.
private let monday = Date(timeIntervalSince1970: 1_795_428_000)

private let orderNumber = EntityType(
    name: "order_number", recognizer: .pattern(source: #"\b[Hh][Pp][- ]?(\d{5})\b"#, template: "HP-$1", normalization: .none))
private let email = EntityType(
    name: "email", recognizer: .pattern(source: #"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"#, template: nil, normalization: .lower))
private let phone = EntityType(
    name: "phone", recognizer: .pattern(source: #"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}\b"#, template: nil, normalization: .digits))
private let product = EntityType(name: "product", recognizer: .list([
    EntityValue("rain jacket", synonyms: ["raincoat", "waterproof jacket"]),
    EntityValue("wool jumper", synonyms: ["jumper", "sweater"]),
    EntityValue("mug"),
]), plurals: true)
private let country = EntityType(name: "country", recognizer: .list([
    EntityValue("United Kingdom", synonyms: ["uk", "northern ireland"]),
    EntityValue("Ireland", synonyms: ["eire"]),
]))

private func extract(_ message: String, _ types: [EntityType], at now: Date = monday) -> [EntityMatch] {
    EntityExtractor(types: types).extract(from: message, at: now)
}

private func values(_ message: String, _ types: [EntityType]) -> [String] {
    extract(message, types).map(\.value)
}

@Suite("Entities: patterns")
struct PatternEntityTests {
    @Test("a pattern's value is built from its groups, whatever way the customer typed it")
    func templateNormalisesForms() {
        #expect(values("where is hp10442?", [orderNumber]) == ["HP-10442"])
        #expect(values("order HP 10442 and HP-20001", [orderNumber]) == ["HP-10442", "HP-20001"])
        #expect(values("order 10442", [orderNumber]).isEmpty)
    }

    @Test("spans are Unicode scalar offsets into the message as typed, and the text is kept")
    func spans() throws {
        let message = "Café 🙂 order hp10442"
        let match = try #require(extract(message, [orderNumber]).first)
        #expect(match.text == "hp10442")
        let scalars = Array(message.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[match.start..<match.end])) == "hp10442")
        #expect(match.start == 13)
    }

    @Test("normalisations: e-mail lower-cased, phone reduced to digits")
    func normalisations() {
        #expect(values("mail me at Jo.Bloggs@Example.CO.UK please", [email]) == ["jo.bloggs@example.co.uk"])
        #expect(values("call 0161 555 0142", [phone]) == ["01615550142"])
        #expect(values("or +44 7700 900123", [phone]) == ["+447700900123"])
        #expect(values("I have 3 orders", [phone, email]).isEmpty)
    }
}

@Suite("Entities: lookup lists")
struct ListEntityTests {
    @Test("a synonym gives its value; words are folded, so case and accents do not matter")
    func synonyms() {
        #expect(values("Do you have a RAINCOAT in blue", [product]) == ["rain jacket"])
        #expect(values("the waterproof jacket and a mug", [product]) == ["rain jacket", "mug"])
        #expect(values("my Sweater arrived torn", [product]) == ["wool jumper"])
    }

    @Test("a plural of a value's last word is that value: waterproof jackets, mugs; not another word that starts the same")
    func plurals() {
        #expect(values("do you have any waterproof jackets for women", [product]) == ["rain jacket"])
        #expect(values("are your mugs dishwasher safe", [product]) == ["mug"])
        #expect(values("the mugshot", [product]).isEmpty)
        // Only for an entity that asks for them: names have none ("Frances" is no France).
        #expect(values("are your mugs dishwasher safe", [EntityType(name: "product", recognizer: product.recognizer)]).isEmpty)
        #expect(values("hi I'm Frances", [EntityType(name: "country", recognizer: .list([EntityValue("France")]))]).isEmpty)
        #expect(EntityExtractor.isPlural("scarves", of: "scarf") == false, "an irregular plural is a synonym of its own")
        #expect(EntityExtractor.isPlural("hates", of: "hat") == false)
        #expect(EntityExtractor.isPlural("boxes", of: "box") && EntityExtractor.isPlural("hats", of: "hat"))
    }

    @Test("a French elision is two words, so a name after it is found: d'Ireland, l'eire")
    func elisions() {
        #expect(values("les horaires du magasin d'Ireland", [country]) == ["Ireland"])
        #expect(values("le prix de l\u{2019}eire", [country]) == ["Ireland"])
        #expect(values("dIreland", [country]).isEmpty)
    }

    @Test("a possessive keeps its name, with either apostrophe: Ireland's, eire’s")
    func possessives() {
        #expect(values("what are Ireland's delivery times", [country]) == ["Ireland"])
        #expect(values("eire\u{2019}s rates please", [country]) == ["Ireland"])
        let match = extract("Ireland's", [country]).first
        #expect(match?.text == "Ireland", "the span is the name alone: \(String(describing: match))")
    }

    @Test("a typo is tolerated in a longer word and the match says it was approximate")
    func typos() throws {
        let match = try #require(extract("my sweatr is too small", [product]).first)
        #expect(match.value == "wool jumper")
        #expect(match.approximate)
        #expect(match.text == "sweatr")
        #expect(extract("my sweater is too small", [product]).first?.approximate == false)
    }

    @Test("common words one letter from a value are not that value", arguments: [
        "I have a stain on my jacket", "I threw it away", "my kit", "it jumped out",
    ])
    func nearMisses(message: String) {
        let lists = [product, country, EntityType(name: "more", recognizer: .list([
            EntityValue("Spain"), EntityValue("blanket", synonyms: ["throw"]), EntityValue("wool jumper", synonyms: ["jumper", "knit"]),
        ]))]
        #expect(extract(message, lists).isEmpty)
    }

    @Test("short words must be exact: 'mud' is not a mug, 'me' is not 'mug'")
    func shortWordsExact() {
        #expect(values("there is mud on it", [product]).isEmpty)
        #expect(values("uh what", [country]).isEmpty)
    }

    @Test("the longest match wins: 'northern ireland' is the United Kingdom, not Ireland")
    func longestWins() {
        #expect(values("do you ship to northern ireland", [country]) == ["United Kingdom"])
        #expect(values("do you ship to ireland or the uk", [country]) == ["Ireland", "United Kingdom"])
    }

    @Test("a word is never matched inside another word")
    func wholeWords() {
        #expect(values("mugging", [product]).isEmpty)
    }
}

@Suite("Entities: dates")
struct DateEntityTests {
    let date = EntityType(name: "date", recognizer: .date(dayFirst: true))

    @Test func oneExtractorReadingATextAgainGivesWhatAFreshOneWouldAtThatMoment() {
        // The extractor remembers its latest readings: the moment and the entity asked for are part of what it remembers.
        let extractor = EntityExtractor(types: [date, bundledOrderNumber])
        let tuesday = monday.addingTimeInterval(86_400)
        for _ in 0..<2 {
            #expect(extractor.extract(from: "tomorrow", at: monday).map(\.value) == ["2026-11-24"])
            #expect(extractor.extract(from: "tomorrow", at: tuesday).map(\.value) == ["2026-11-25"])
            #expect(extractor.extract(from: "10443", at: monday, asking: "order_number") ==
                    EntityExtractor(types: [date, bundledOrderNumber]).extract(from: "10443", at: monday, asking: "order_number"))
            #expect(extractor.extract(from: "10443", at: monday).map(\.entity) ==
                    EntityExtractor(types: [date, bundledOrderNumber]).extract(from: "10443", at: monday).map(\.entity))
        }
        // More texts than it keeps, then the first again: read anew, the same.
        for day in 0..<40 { _ = extractor.extract(from: "in \(day) days", at: monday) }
        #expect(extractor.extract(from: "tomorrow", at: monday).map(\.value) == ["2026-11-24"])
    }

    @Test("relative days count from the moment of the message", arguments: [
        ("it should arrive today", "2026-11-23"),
        ("it should arrive tomorrow", "2026-11-24"),
        ("I ordered it yesterday", "2026-11-22"),
        ("the day after tomorrow", "2026-11-25"),
        ("in 3 days", "2026-11-26"),
        ("in two weeks", "2026-12-07"),
        ("10 days ago", "2026-11-13"),
        // Capitals and shorthand: the quick check before the patterns must not skip them.
        ("IT SHOULD ARRIVE TOMORROW", "2026-11-24"),
        ("back Tonight", "2026-11-23"),
        ("tmrw pls", "2026-11-24"),
        ("IN TWO WEEKS", "2026-12-07"),
    ])
    func relative(message: String, expected: String) {
        #expect(values(message, [date]) == [expected])
    }

    @Test("time ago in weeks, fortnights and months, and a month named alone", arguments: [
        ("bought it 5 weeks ago", "2026-10-19"),
        ("about 2 months ago", "2026-09-23"),
        ("a fortnight ago", "2026-11-09"),
        // A month past is its last day (no sooner than it could be); one to come, its first.
        ("bought it in September", "2026-09-30"),
        ("they'll be back in stock in January", "2027-01-01"),
        ("back in March", "2026-03-31"),
        ("I've had it since July", "2026-07-31"),
    ])
    func ago(message: String, expected: String) {
        #expect(values(message, [date]) == [expected])
    }

    /// Each pattern runs only where the text has what it cannot match
    /// without (4 digits and a dash, a digit, a mark and a digit, a month's
    /// name): every form is still found, wherever it stands.
    @Test("written dates are found behind the quick checks", arguments: [
        ("it came on 2026-11-20", "2026-11-20"),
        ("2026-11-20", "2026-11-20"),
        ("on 20/11", "2026-11-20"),
        ("20/11/2026", "2026-11-20"),
        ("order HP-10442 due 20.11.2026", "2026-11-20"),
        ("due 9/1/27.", "2027-01-09"),
        ("the 20th of November", "2026-11-20"),
        ("nov 20", "2026-11-20"),
        ("NOVEMBER 20TH, 2026", "2026-11-20"),
    ])
    func writtenDates(message: String, expected: String) {
        #expect(values(message, [date]) == [expected])
    }

    /// Each pattern runs only on a text with its words (a month, a weekday,
    /// a unit of time), found whole in ASCII text and as parts outside it.
    @Test("a date's words are found in any case, beside marks, and in text outside ASCII", arguments: [
        ("due 20 November – thanks", "2026-11-20"),
        ("Tomorrow…", "2026-11-24"),
        ("(TUESDAY)", "2026-11-24"),
        ("in 2 weeks, ok", "2026-12-07"),
        ("in 2 wéeks", nil), ("in 2 weeksend", nil),
        ("café in 3 days", "2026-11-26"),
        ("sent 5th of may.", "2027-05-05"),
        ("delivered 5 Sepember", "2026-09-05"), // "sept?(?:ember)?" takes it
    ])
    func datesWordsFound(message: String, expected: String?) {
        #expect(values(message, [date]) == (expected.map { [$0] } ?? []))
    }

    @Test("a dash or a point among digits is no date", arguments: ["HP-10442", "order 10442-2", "£3.95", "v1.2.3", "10442."])
    func noDate(message: String) {
        #expect(values(message, [date]).isEmpty)
    }

    @Test("the month of the message, named alone, is no one day")
    func thisMonthAlone() {
        #expect(values("I ordered it in November", [date]).isEmpty)
    }

    @Test("weekdays: plain and 'next' are the coming one, 'this' may be today, 'last' is before today", arguments: [
        ("on friday", "2026-11-27"),
        ("next monday", "2026-11-30"),
        ("monday", "2026-11-30"),
        ("this monday", "2026-11-23"),
        ("last friday", "2026-11-20"),
        ("last monday", "2026-11-16"),
        ("NEXT MONDAY", "2026-11-30"),
    ])
    func weekdays(message: String, expected: String) {
        #expect(values(message, [date]) == [expected])
    }

    @Test("written dates, with and without a year", arguments: [
        ("on 2026-12-01", "2026-12-01"),
        ("on 3 March", "2027-03-03"),        // nearer than March 2026
        ("on 3 September", "2026-09-03"),    // nearer than September 2027
        ("on the 2nd of January", "2027-01-02"), // nearer than January 2026
        ("on Nov 5th, 2025", "2025-11-05"),
        ("on 25/12/2026", "2026-12-25"),
        ("on 25/12", "2026-12-25"),
        ("on 1.2.27", "2027-02-01"),
    ])
    func written(message: String, expected: String) {
        #expect(values(message, [date]) == [expected])
    }

    @Test("one extractor reads a relative date by the day it is read on, in its time zone")
    func readAgainAnotherDay() {
        // 19:00 on the 23rd in Tokyo, then 05:00 on the 24th there: two days, one extractor (its memo is shared).
        let tokyo = EntityExtractor(types: [date], timeZone: TimeZone(identifier: "Asia/Tokyo")!)
        #expect(tokyo.extract(from: "tomorrow", at: monday).map(\.value) == ["2026-11-24"])
        #expect(tokyo.extract(from: "tomorrow", at: monday.addingTimeInterval(10 * 3600)).map(\.value) == ["2026-11-25"])
        #expect(tokyo.extract(from: "tomorrow", at: monday).map(\.value) == ["2026-11-24"])
    }

    @Test("one extractor reads a text and its canonically equal other spelling each with its own offsets")
    func readAgainSpeltOtherwise() {
        // "é" as one scalar, then as "e" and a combining accent: equal strings to Swift, not the same offsets.
        let extractor = EntityExtractor(types: [product])
        #expect(extractor.extract(from: "café mug", at: monday).map(\.start) == [5])
        #expect(extractor.extract(from: "cafe\u{301} mug", at: monday).map(\.start) == [6])
    }

    @Test("tomorrow is the next day at any hour, where the clocks skip an hour that night too")
    func tomorrowAtAnyHour() {
        // Friday 28 March 2025 in Nuuk, 10:00 and 23:30; the clocks go forward the next night.
        let nuuk = TimeZone(identifier: "America/Nuuk")!
        for moment in [1_743_163_200, 1_743_211_800] {
            let at = Date(timeIntervalSince1970: Double(moment))
            #expect(EntityExtractor(types: [date], timeZone: nuuk).extract(from: "tomorrow", at: at).map(\.value) == ["2025-03-29"])
            #expect(EntityExtractor(types: [date], timeZone: nuuk).extract(from: "in 2 days", at: at).map(\.value) == ["2025-03-30"])
        }
    }

    @Test("a day and month without a year read the same all day, a tie going to the earlier")
    func sameAllDay() {
        // 23 November 2027 is 183 days after 24 May 2027 and 183 days before 24 May 2028 (a leap year).
        let midnight = Date(timeIntervalSince1970: 1_826_928_000) // 2027-11-23 00:00 UTC
        for minutes in [5, 12 * 60, 23 * 60 + 55] {
            let at = midnight.addingTimeInterval(Double(minutes) * 60)
            #expect(extract("on 24 May", [date], at: at).map(\.value) == ["2027-05-24"], "at \(minutes) minutes past midnight")
        }
    }

    @Test("month first when the entity says so")
    func monthFirst() {
        let american = EntityType(name: "date", recognizer: .date(dayFirst: false))
        #expect(values("on 12/25/2026", [american]) == ["2026-12-25"])
        #expect(values("on 12/25/2026", [date]).isEmpty) // no 25th month
    }

    @Test("impossible dates and plain numbers are not dates")
    func notDates() {
        #expect(values("on 31/02/2026", [date]).isEmpty)
        #expect(values("version 2.5 of the app", [date]).isEmpty)
        #expect(values("I paid 12.50", [date]).isEmpty)
        #expect(values("order 1/2/3/4", [date]).isEmpty)
    }
}

@Suite("Entities: amounts")
struct AmountEntityTests {
    let amount = EntityType(name: "amount", recognizer: .amount)

    @Test("sums with a currency become two decimals and an ISO code", arguments: [
        ("I was charged £12.50 twice", "12.50 GBP"),
        ("it cost 12 pounds", "12.00 GBP"),
        ("20 quid", "20.00 GBP"),
        ("€4,99 extra", "4.99 EUR"),
        ("$1,200 total", "1200.00 USD"),
        ("GBP 7.5", "7.50 GBP"),
        ("a 50p charge", "0.50 GBP"),
        // Units after the number, each behind the check for its first letter just after a digit.
        ("3 euros back", "3.00 EUR"),
        ("costs 15 Dollars", "15.00 USD"),
        ("5 bucks", "5.00 USD"),
        ("99 pence", "0.99 GBP"),
        ("12.50EUR", "12.50 EUR"),
        ("7 USD", "7.00 USD"),
        ("4\u{00A0}GBP", "4.00 GBP"),
        ("refund 20 Quid", "20.00 GBP"),
        ("usd 12", "12.00 USD"),
        ("20\r\nquid", "20.00 GBP"),
        ("20 \u{301}quid", "20.00 GBP"),
    ])
    func amounts(message: String, expected: String) {
        #expect(values(message, [amount]) == [expected])
    }

    @Test("a number without a currency is not an amount")
    func bareNumbers() {
        #expect(values("I ordered 3 mugs for 12.50", [amount]).isEmpty)
    }

    @Test("an amount beats a date reading of the same digits")
    func amountBeatsDate() {
        let date = EntityType(name: "date", recognizer: .date(dayFirst: true))
        #expect(extract("refund of £3.11 on 3/11", [date, amount]).map(\.entity) == ["amount", "date"])
    }
}

@Suite("Entities: extraction")
struct EntityExtractionTests {
    @Test("several kinds in one message, in the order they appear")
    func order() {
        let found = extract("my jumper from order HP10442 on friday cost £40", [
            orderNumber, product, EntityType(name: "date", recognizer: .date(dayFirst: true)), EntityType(name: "amount", recognizer: .amount),
        ])
        #expect(found.map(\.entity) == ["product", "order_number", "date", "amount"])
        #expect(found.map(\.value) == ["wool jumper", "HP-10442", "2026-11-27", "40.00 GBP"])
    }

    @Test("the engine reports the entities it found with its understanding")
    func engineReports() {
        var bot = Fixtures.bot
        bot.entities = [orderNumber]
        let understanding = Engine(bot: bot).understand("where is hp10442", at: monday)
        #expect(understanding.entities.map(\.value) == ["HP-10442"])
    }

    @Test func anOrderNumberIsReadAsItsTypeNotItsDigits() throws {
        var bot = Fixtures.bot
        bot.entities = [orderNumber, product]
        bot.intents = bot.intents.map { intent in
            var intent = intent
            if intent.name == "order_status" { intent.examples.append("track HP10001") }
            return intent
        }
        let engine = Engine(bot: bot)
        // Any order number, not just the one in the example, is evidence for the intent.
        let bare = try #require(engine.understand("HP99999?", at: monday).ranking.first)
        #expect(bare.intent == "order_status")
        let plain = try #require(engine.understand("where is my order", at: monday).matched)
        let withNumber = try #require(engine.understand("where is my order HP10442", at: monday).matched)
        #expect(withNumber.intent == plain.intent)
        #expect(RankerReading.masking(extract("my mug, order HP10442!", [orderNumber, product]).filter { $0.entity == "order_number" },
                               in: "my mug, order HP10442!") == "my mug, order  entityordernumber !")
    }

    @Test("the same message at the same time gives the same entities, run after run")
    func deterministic() {
        let types = [orderNumber, product, country, EntityType(name: "date", recognizer: .date(dayFirst: true))]
        let message = "jumpr for northern ireland, order hp 12345, by next tuesday"
        let first = extract(message, types)
        for _ in 0..<20 { #expect(extract(message, types) == first) }
        #expect(first.count == 4)
    }
}

/// The bundled bot's order numbers, as intents/entities.yaml declares them.
private let bundledOrderNumber = EntityType(
    name: "order_number",
    recognizer: .pattern(source: #"\b[Hh][Pp](?:\s?[-–—]\s?|\s)?(\d{5})\b"#, template: "HP-$1", normalization: .none),
    digitLookalikes: ["O": "0", "o": "0", "I": "1", "l": "1"],
    whenAsked: .init(source: #"\b(\d{5})\b(?![.,:/]\d)"#, template: "HP-$1"))
private let amount = EntityType(name: "amount", recognizer: .amount)
private let date = EntityType(name: "date", recognizer: .date(dayFirst: true))
private let everyPattern = [bundledOrderNumber, email, phone, amount, date]

@Suite("Entities: order numbers as customers type them")
struct OrderNumberFormTests {
    @Test("every common form gives the canonical value, with the text as typed", arguments: [
        ("where is HP-10442?", "HP-10442", "HP-10442"),
        ("hp 10443 please", "hp 10443", "HP-10443"),
        ("hp10443", "hp10443", "HP-10443"),
        ("order #HP-10443 hasn't come", "HP-10443", "HP-10443"),
        ("Hp – 10443", "Hp – 10443", "HP-10443"),
        ("it's HP-1O442", "HP-1O442", "HP-10442"),
        ("HP-1o442", "HP-1o442", "HP-10442"),
        ("hpl0442", "hpl0442", "HP-10442"),
        ("HP 1I44O", "HP 1I44O", "HP-11440"),
    ])
    func forms(message: String, text: String, value: String) throws {
        let found = extract(message, everyPattern).filter { $0.entity == "order_number" }
        #expect(found.map(\.value) == [value])
        #expect(found.first?.text == text)
    }

    @Test("letters are read as digits only among digits, so words stay words", arguments: [
        "HP-OIl", "hello, my OIL order", "HP-1O44", "HP-1O4422",
    ])
    func lettersAmongLettersStayLetters(message: String) {
        #expect(extract(message, everyPattern).filter { $0.entity == "order_number" }.isEmpty)
    }

    @Test("a span found through a lookalike still points at what the customer typed")
    func spansThroughLookalikes() throws {
        let message = "Café 🙂 Ölà order HP-1O442 pls"
        let match = try #require(extract(message, [bundledOrderNumber]).first)
        let scalars = Array(message.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[match.start..<match.end])) == "HP-1O442")
        #expect(match.text == "HP-1O442")
        #expect(match.start == 17)
        #expect(match.end == 25)
    }

    @Test("a letter carrying an accent is not a digit")
    func accentedLetterIsALetter() {
        // "O" followed by a combining acute accent.
        #expect(extract("HP-1O\u{301}442", [bundledOrderNumber]).isEmpty)
    }

    @Test("bare digits are an order number only when the bot asked for one", arguments: [
        ("10443", "order_number", ["HP-10443"]),
        ("it's 10443", "order_number", ["HP-10443"]),
        ("1O443 I think", "order_number", ["HP-10443"]),
        ("10443", nil, []),
        ("10443", "email", []),
        ("it's 10443", "product", []),
        ("HP-10443", "order_number", ["HP-10443"]),
        ("HP-10443", nil, ["HP-10443"]),
    ] as [(String, String?, [String])])
    func bareDigits(message: String, asking: String?, values: [String]) {
        let found = EntityExtractor(types: everyPattern).extract(from: message, at: monday, asking: asking)
        #expect(found.filter { $0.entity == "order_number" }.map(\.value) == values)
    }

    @Test("prices, years, dates and phone numbers are not order numbers, even when asked", arguments: [
        ("it cost £10443", "amount"),
        ("about 10443.50 pounds", "amount"),
        ("call 07700 900123", "phone"),
        ("my number is 0161 555 0142", "phone"),
        ("since 2026", nil),
        ("on 25/12/2026", "date"),
        ("123456", nil),
        ("1044", nil),
        ("10443.5", nil),
    ] as [(String, String?)])
    func notOrderNumbers(message: String, other: String?) {
        let found = EntityExtractor(types: everyPattern).extract(from: message, at: monday, asking: "order_number")
        #expect(!found.contains { $0.entity == "order_number" })
        #expect(found.map(\.entity) == (other.map { [$0] } ?? []))
    }

    @Test("an answer's span is the digits alone")
    func askedSpan() throws {
        let match = try #require(EntityExtractor(types: everyPattern).extract(from: "umm 🙂 10443!", at: monday, asking: "order_number").first)
        #expect(match.text == "10443")
        #expect(match.start == 6)
        #expect(match.end == 11)
    }
}
