// The check of RequiredText (Sources/RapportCore/Matching/RequiredText.swift) on
// public data: for every regular expression of the bundled bot, on every text,
// a pattern that matches is never passed over: its intents' patterns on ICU and
// folded text, its entities' on Swift's Regex and the text as typed (and with
// every lookalike letter read as a digit). Run by run.sh, which see.
// fold() is TextNormalizer.fold, copied: the patterns run on folded text.
import Foundation
func fold(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
        return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
    return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        .replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(of: "\u{2018}", with: "'")
}
let pats = try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[1]))) as! [[String]]
let texts = (try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[2]))) as! [String]).map(fold)
var bad = 0, matched = 0, skipped = 0, read = 0
var tWith = 0.0, tWithout = 0.0
for p in pats {
    let r = try! NSRegularExpression(pattern: p[1], options: [.useUnicodeWordBoundaries])
    let needs = RequiredText(pattern: p[1])
    if needs.pieces != nil { read += 1 }
    for t in texts {
        let m = r.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) != nil
        let may = needs.mayMatch(Array(t.utf8))
        if m { matched += 1 }
        if !may { skipped += 1 }
        if m && !may { bad += 1; print("MISSED", p[0], t) }
    }
}
// timing: all patterns over all texts, with and without the check
var t0 = Date()
let compiled = pats.map { (try! NSRegularExpression(pattern: $0[1], options: [.useUnicodeWordBoundaries]), RequiredText(pattern: $0[1])) }
t0 = Date()
for t in texts { for (r, _) in compiled { _ = r.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) } }
tWithout = Date().timeIntervalSince(t0)
t0 = Date()
for t in texts { let b = Array(t.utf8); for (r, n) in compiled where n.mayMatch(b) { _ = r.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) } }
tWith = Date().timeIntervalSince(t0)
print("patterns \(pats.count), read \(read); texts \(texts.count); matches \(matched); runs passed over \(skipped) of \(pats.count * texts.count); missed \(bad)")
print(String(format: "all patterns on all texts: %.2f s without the check, %.2f s with it", tWithout, tWith))

// The entities' patterns, on Swift's Regex, as the extractor runs them, and
// the profile's volunteered patterns, ignoring case, as ProfileReader does.
let entityPatterns = try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[3]))) as! [[Any]]
let rawTexts = (try! JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CommandLine.arguments[2]))) as! [String])
var entityBad = 0, entityMatched = 0, entitySkipped = 0, entityRuns = 0, entityRead = 0
var eWith = 0.0, eWithout = 0.0
for entry in entityPatterns {
    let (name, source) = (entry[0] as! String, entry[1] as! String)
    let lookalikes = entry[2] as! [String: String]
    let ignoresCase = entry.count > 3 && (entry[3] as? Bool) == true
    let regex = ignoresCase ? try! Regex(source).ignoresCase() : try! Regex(source)
    let needs = RequiredText(pattern: source, swiftRegex: true)
    if needs.pieces != nil { entityRead += 1 }
    for text in rawTexts {
        var read = text
        for (letter, digit) in lookalikes { read = read.replacingOccurrences(of: letter, with: digit) }
        for form in Set([text, read]) {
            var start = Date()
            let m = form.contains(regex)
            eWithout += Date().timeIntervalSince(start)
            start = Date()
            let may = needs.mayMatch(Array(form.utf8))
            if may { _ = form.contains(regex) }
            eWith += Date().timeIntervalSince(start)
            entityRuns += 1
            if m { entityMatched += 1 }
            if !may { entitySkipped += 1 }
            if m && !may { entityBad += 1; print("MISSED", name, form) }
        }
    }
}
print("entity and volunteered patterns \(entityPatterns.count), read \(entityRead); runs \(entityRuns); matches \(entityMatched); passed over \(entitySkipped); missed \(entityBad)")
print(String(format: "entity and volunteered patterns on all texts: %.2f s without the check, %.2f s with it", eWithout, eWith))
