import Foundation
import RapportCore

/// The sentence encoder's vectors of training examples, kept beside the
/// models: encoding is most of what training the hybrid costs (seconds for a
/// bot, a minute for BANKING77), and an edited bot keeps most of its
/// examples, so only the new ones are encoded.
///
/// One file per encoder, `vectors-<digest of its identity>.bin`:
///
///     "RAPPORTV"  version u32  dimensions u32  count u64  checksum u64
///     count × (text digest u64, dimensions × f32)
///
/// Read like a model (`contents(of:)`: only a regular file of this user's)
/// and checked; a file that is not right is ignored and written again.
extension ModelCache {
    static let vectorMagic = Array("RAPPORTV".utf8)
    static let vectorFormat: UInt32 = 1
    /// The most vectors a file may hold (2 KB each): BANKING77 and CLINC150
    /// together fit. (`ModelCache.vectorLimit` keeps fewer, for tests.)
    public static let largestVectorFile = 40_000

    /// Where the vectors of `embedder` are kept.
    public func vectorsPath(for embedder: any SentenceEmbedder) -> String {
        let digest = Self.digest(Array("\(embedder.dimensions) \(embedder.identity)".utf8))
        return (directory as NSString).appendingPathComponent("vectors-\(String(digest, radix: 16)).bin")
    }

    /// The vectors of `texts`, in order: read from the file where it has
    /// them, the rest encoded (on every core) and added to the file.
    public func vectors(of texts: [String], with embedder: any SentenceEmbedder) -> [[Float]] {
        let path = vectorsPath(for: embedder)
        let (stored, storedOrder) = readVectors(at: path, dimensions: embedder.dimensions)
        var known = stored
        let digests = texts.map { Self.digest(Array($0.utf8)) }
        var wanted: [UInt64] = []
        var seen = Set<UInt64>()
        var missing: [Int] = []
        for (index, digest) in digests.enumerated() where seen.insert(digest).inserted {
            wanted.append(digest)
            if known[digest] == nil { missing.append(index) }
        }
        if !missing.isEmpty {
            let encoded = LinearIntentClassifier.embedAll(missing.map { texts[$0] }, with: embedder)
            for (index, vector) in zip(missing, encoded) { known[digests[index]] = vector }
            // This training set's vectors first, then the file's others in
            // their order (those of the training that last wrote it first):
            // a full file drops what no recent training asked for.
            let order = wanted + storedOrder.filter { !seen.contains($0) }
            try? writeVectors(order.prefix(min(vectorLimit, Self.largestVectorFile)).compactMap { digest in known[digest].map { (digest, $0) } },
                              dimensions: embedder.dimensions, to: path)
        }
        return digests.map { known[$0] ?? [] }
    }

    /// The vectors in the file at `path` by digest, and the digests in the
    /// file's order; nothing when the file is missing or not right.
    private func readVectors(at path: String, dimensions: Int) -> (vectors: [UInt64: [Float]], order: [UInt64]) {
        guard case .success(let bytes)? = Self.contents(of: path), bytes.count >= 32,
              Array(bytes[0..<8]) == Self.vectorMagic else { return ([:], []) }
        func integer<Value: FixedWidthInteger>(_ offset: Int, _: Value.Type) -> Value {
            bytes.withUnsafeBytes { Value(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Value.self)) }
        }
        let entryBytes = 8 + dimensions * 4
        guard integer(8, UInt32.self) == Self.vectorFormat, Int(integer(12, UInt32.self)) == dimensions,
              let count = Int(exactly: integer(16, UInt64.self)), count <= Self.largestVectorFile,
              bytes.count == 32 + count * entryBytes,
              integer(24, UInt64.self) == ClassifierArchive.checksum(bytes[32...]) else { return ([:], []) }
        var vectors: [UInt64: [Float]] = [:]
        var order: [UInt64] = []
        bytes.withUnsafeBytes { raw in
            for entry in 0..<count {
                let base = 32 + entry * entryBytes
                let digest = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: UInt64.self))
                if vectors[digest] == nil { order.append(digest) }
                // Copied whole: the floats are little-endian, as this platform's are (ClassifierArchive).
                vectors[digest] = [Float](unsafeUninitializedCapacity: dimensions) { buffer, initialized in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[(base + 8)..<(base + 8 + dimensions * 4)]))
                    initialized = dimensions
                }
            }
        }
        return (vectors, order)
    }

    private func writeVectors(_ entries: [(UInt64, [Float])], dimensions: Int, to path: String) throws(CacheError) {
        var body: [UInt8] = []
        body.reserveCapacity(entries.count * (8 + dimensions * 4))
        for (digest, vector) in entries where vector.count == dimensions {
            withUnsafeBytes(of: digest.littleEndian) { body += $0 }
            for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { body += $0 } }
        }
        var bytes = Self.vectorMagic
        withUnsafeBytes(of: Self.vectorFormat.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(dimensions).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt64(body.count / (8 + dimensions * 4)).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: ClassifierArchive.checksum(body[...]).littleEndian) { bytes += $0 }
        bytes += body
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CacheError(path: directory, reason: "cannot create the folder")
        }
        try writeAtomically(bytes, to: path)
    }

    /// Names an example in the file: FNV-1a of its UTF-8, seeded with its length.
    static func digest(_ bytes: [UInt8]) -> UInt64 {
        StableHash.fnv1a(bytes, seed: UInt64(bytes.count))
    }
}
