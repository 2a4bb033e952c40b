#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// The weights as the forward pass holds them, written out whole, so that a
/// later start reads them back instead of inflating and converting
/// `weights.npz` again: about 75 MB read in tens of milliseconds, against
/// half a second (docs/ENCODER.md). It is a cache: named after the digest of
/// the `weights.npz` it came from, checked in full when read (size, magic,
/// that digest, a CRC-32 of everything after the header), and written again
/// when anything is wrong with it. Native little-endian floats.
///
/// Layout: the magic `RPUSEW01`; the digest (UInt64); the payload's length
/// (UInt64); the payload's CRC-32 (UInt64, its upper half zeros); the payload:
/// the embedding table (UInt8), then every float array in `floatArrays`' order.
extension EncoderWeights {
    static let unpackedMagic = Array("RPUSEW01".utf8)
    static let unpackedHeaderSize = 32

    /// The file name of the unpacked form of the weights with `digest`.
    static func unpackedFileName(digest: UInt64) -> String {
        let digits = String(digest, radix: 16)
        return "use-multilingual-v3-" + String(repeating: "0", count: 16 - digits.count) + digits + ".weights"
    }

    /// The lengths of the float arrays, in `floatArrays`' order: fixed by the model's shapes.
    static let floatLengths: [Int] = {
        let branch = branchWidth
        var lengths = [chunks, chunks, embeddingWidth * 3 * branch, 3 * branch, 3 * branch, 3 * branch]
        for (order, _) in branchOrders {
            lengths += [order * branch * branch, branch, order * branch * branch, branch]
        }
        return lengths + [featureWidth, featureWidth, featureWidth * outputWidth, outputWidth,
                          512 * 320, 320 * 320, 512 * 320, 320 * 512, 320 * 512, 512 * 512, 1]
    }()

    static var tableCount: Int { chunks * rowsPerChunk * embeddingWidth }
    static var payloadCount: Int { tableCount + floatLengths.reduce(0, +) * MemoryLayout<Float>.size }

    /// Every float array, in the order the unpacked form keeps them.
    var floatArrays: [[Float]] {
        [scale, offset, projection.values, projectionBias, projectionGamma, projectionBeta]
            + branches.flatMap { [$0.first.values, $0.firstBias, $0.second.values, $0.secondBias] }
            + [featureGamma, featureBeta, pooling.values, poolingBias,
               d0.values, d1.values, p1.values, d2.values, p3.values, d3.values, [epsilon]]
    }

    /// Reads the unpacked form at `path` back, straight into the arrays the
    /// forward pass uses (no copy of the whole file is held): the weights, or
    /// why the file is not the unpacked form of the weights with `digest`.
    init(unpackedAt path: String, digest: UInt64) throws(EncoderLoadError) {
        func fail(_ problem: String) -> EncoderLoadError { EncoderLoadError(file: path, problem: problem) }
        #if !_endian(little)
        throw fail("the unpacked form is little-endian only")
        #endif
        // As the model cache reads its files: without blocking on a pipe, and only a regular
        // file of this user's (or root's) that no one else may write, since a forged file
        // with the right digest and checksum would pass every other check.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw fail("cannot be read (\(String(cString: strerror(errno))))")
        }
        guard let file = fdopen(descriptor, "rb") else {
            close(descriptor)
            throw fail("cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { fclose(file) }
        let header = Self.unpackedHeaderSize
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw fail("is not a regular file") }
        guard info.st_uid == geteuid() || info.st_uid == 0, info.st_mode & 0o022 == 0 else {
            throw fail("may be written by others")
        }
        guard Int(info.st_size) == header + Self.payloadCount else {
            throw fail("is not a file of \(header + Self.payloadCount) bytes")
        }
        var head = [UInt8](repeating: 0, count: header)
        guard fread(&head, 1, header, file) == header else { throw fail("cannot be read") }
        func uint64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(head[at + $1]) << (8 * UInt64($1)) } }
        guard Array(head[0..<8]) == Self.unpackedMagic else { throw fail("is not unpacked encoder weights") }
        guard uint64(8) == digest else { throw fail("was unpacked from other weights") }
        guard uint64(16) == UInt64(Self.payloadCount) else { throw fail("has the wrong payload length") }

        var crc: UInt = 0
        var complete = true
        let table = [UInt8](unsafeUninitializedCapacity: Self.tableCount) { buffer, count in
            complete = fread(buffer.baseAddress, 1, Self.tableCount, file) == Self.tableCount
            count = complete ? Self.tableCount : 0
            if complete { crc = CZlib.crc32_z(crc, buffer.baseAddress, Self.tableCount) }
        }
        var floats: [[Float]] = []
        floats.reserveCapacity(Self.floatLengths.count)
        for length in Self.floatLengths where complete {
            floats.append([Float](unsafeUninitializedCapacity: length) { buffer, count in
                complete = fread(buffer.baseAddress, MemoryLayout<Float>.size, length, file) == length
                count = complete ? length : 0
                if complete {
                    crc = buffer.withMemoryRebound(to: UInt8.self) { CZlib.crc32_z(crc, $0.baseAddress, length * MemoryLayout<Float>.size) }
                }
            })
        }
        guard complete else { throw fail("cannot be read whole") }
        guard UInt64(crc) == uint64(24) else { throw fail("is damaged (its checksum does not match)") }
        self.init(table: table, floats: floats, digest: digest)
    }

    /// The weights from their parts, in the unpacked form's order.
    private init(table: [UInt8], floats: [[Float]], digest: UInt64) {
        var next = floats.makeIterator()
        func take() -> [Float] { next.next()! }
        self.table = table
        scale = take()
        offset = take()
        projection = Matrix(rows: Self.embeddingWidth, columns: 3 * Self.branchWidth, values: take())
        projectionBias = take()
        projectionGamma = take()
        projectionBeta = take()
        branches = Self.branchOrders.map { order, left in
            let first = take(), firstBias = take(), second = take(), secondBias = take()
            return Branch(order: order, left: left,
                          first: Matrix(rows: order * Self.branchWidth, columns: Self.branchWidth, values: first), firstBias: firstBias,
                          second: Matrix(rows: order * Self.branchWidth, columns: Self.branchWidth, values: second), secondBias: secondBias)
        }
        featureGamma = take()
        featureBeta = take()
        pooling = Matrix(rows: Self.featureWidth, columns: Self.outputWidth, values: take())
        poolingBias = take()
        d0 = Matrix(rows: 512, columns: 320, values: take())
        d1 = Matrix(rows: 320, columns: 320, values: take())
        p1 = Matrix(rows: 512, columns: 320, values: take())
        d2 = Matrix(rows: 320, columns: 512, values: take())
        p3 = Matrix(rows: 320, columns: 512, values: take())
        d3 = Matrix(rows: 512, columns: 512, values: take())
        epsilon = take()[0]
        self.digest = digest
    }

    /// The unpacked form: header and payload, built in one array (79 MB).
    func unpacked() -> [UInt8] {
        func bytes(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }
        var file = Self.unpackedMagic + bytes(digest) + bytes(UInt64(Self.payloadCount)) + bytes(0)
        file.reserveCapacity(Self.unpackedHeaderSize + Self.payloadCount)
        file += table
        for array in floatArrays {
            array.withUnsafeBytes { file.append(contentsOf: $0) }
        }
        let crc = file.withUnsafeBufferPointer {
            CZlib.crc32_z(0, $0.baseAddress! + Self.unpackedHeaderSize, $0.count - Self.unpackedHeaderSize)
        }
        file.replaceSubrange(24..<32, with: bytes(UInt64(crc)))
        return file
    }

    /// The weights in `weights.npz` at `path`, read from their unpacked form
    /// in `folder` when it is there and right, else from the archive, and
    /// then unpacked into `folder` for the next start (when it can be
    /// written: a cache, so failing to write it costs only time).
    static func load(path: String, unpackedFolder folder: String?) throws(EncoderLoadError) -> (weights: EncoderWeights, fromUnpacked: Bool) {
        let archive = try ZipArchive(bytes: try readWholeFile(path), file: path)
        guard let folder else { return (try EncoderWeights(archive: archive, file: path), false) }
        let digest = Self.digest(of: archive)
        let unpackedPath = folder + "/" + unpackedFileName(digest: digest)
        if let weights = try? EncoderWeights(unpackedAt: unpackedPath, digest: digest) {
            return (weights, true)
        }
        let weights = try EncoderWeights(archive: archive, file: path)
        // Written again unless something other than a file is in the way (a folder, a pipe), which
        // renaming could not replace, and only where it can be read back.
        var info = stat()
        let inTheWay = lstat(unpackedPath, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG
        #if _endian(little)
        if !inTheWay { _ = writeAtomically(weights.unpacked(), to: unpackedPath, mode: 0o600) }
        #endif
        return (weights, false)
    }
}

