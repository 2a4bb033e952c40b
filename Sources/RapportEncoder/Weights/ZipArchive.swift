import CZlib

/// The members of a zip archive held in memory, as numpy's `savez` writes
/// them: stored or deflated, with or without zip64 extras.
///
/// Only what `weights.npz` needs: no encryption, no multi-disk archives.
/// Every offset and size read from the file is checked before it is used
/// (offsets and stored sizes within the file, inflated sizes below
/// `largestMember`), so a damaged or crafted file is an error naming the
/// member, never a crash or a huge allocation.
struct ZipArchive {
    struct Member {
        var name: String
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    /// No member of a real model comes near this (the largest is 3.9 MB).
    static let largestMember = 256 << 20

    let bytes: [UInt8]
    let file: String
    /// Members by name, in the order of the central directory.
    private(set) var members: [String: Member] = [:]
    private(set) var names: [String] = []

    init(bytes: [UInt8], file: String) throws(EncoderLoadError) {
        self.bytes = bytes
        self.file = file
        try readCentralDirectory()
    }

    private func fail(_ problem: String) -> EncoderLoadError {
        EncoderLoadError(file: file, problem: problem)
    }

    /// A value from the file as an offset or size within it, or nil.
    private func withinFile(_ value: UInt64) -> Int? {
        value <= UInt64(bytes.count) ? Int(value) : nil
    }

    private func uint16(_ at: Int) -> UInt16? {
        guard at >= 0, at <= bytes.count - 2 else { return nil }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private func uint32(_ at: Int) -> UInt32? {
        guard let low = uint16(at), let high = uint16(at + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    private func uint64(_ at: Int) -> UInt64? {
        guard let low = uint32(at), let high = uint32(at + 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    private mutating func readCentralDirectory() throws(EncoderLoadError) {
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        let lowest = max(0, bytes.count - 22 - 65_535)
        var end = bytes.count - 22
        while end >= lowest, uint32(end) != 0x0605_4b50 { end -= 1 }
        guard end >= lowest else { throw fail("not a zip archive (no end of central directory)") }
        guard var count = uint16(end + 10).map(Int.init),
              var offset = uint32(end + 16).map(Int.init) else { throw fail("truncated end of central directory") }
        // Zip64: the real count and offset are in the zip64 end record.
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
            guard uint32(end - 20) == 0x0706_4b50, let recordOffset = uint64(end - 12).flatMap(withinFile),
                  uint32(recordOffset) == 0x0606_4b50,
                  let count64 = uint64(recordOffset + 32), let offset64 = uint64(recordOffset + 48),
                  let c = withinFile(count64), let o = withinFile(offset64)
            else { throw fail("damaged zip64 end of central directory") }
            count = c
            offset = o
        }
        // Each entry takes at least 46 bytes: a larger count is a lie.
        guard count <= bytes.count / 46 else { throw fail("damaged end of central directory (\(count) entries)") }
        var at = offset
        for index in 0..<count {
            guard uint32(at) == 0x0201_4b50,
                  let method = uint16(at + 10), let crc = uint32(at + 16),
                  let compressed32 = uint32(at + 20), let size32 = uint32(at + 24),
                  let nameLength = uint16(at + 28).map(Int.init), let extraLength = uint16(at + 30).map(Int.init),
                  let commentLength = uint16(at + 32).map(Int.init), let local32 = uint32(at + 42),
                  at <= bytes.count - 46 - nameLength - extraLength
            else { throw fail("damaged central directory entry \(index + 1) of \(count)") }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            var compressed = UInt64(compressed32), size = UInt64(size32), local = UInt64(local32)
            // Zip64 extra field: the 64-bit values, in this order, for those whose 32-bit field is full.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd, let tag = uint16(extra), let length = uint16(extra + 2).map(Int.init) {
                if tag == 0x0001 {
                    var field = extra + 4
                    if size32 == 0xFFFF_FFFF, let v = uint64(field) { size = v; field += 8 }
                    if compressed32 == 0xFFFF_FFFF, let v = uint64(field) { compressed = v; field += 8 }
                    if local32 == 0xFFFF_FFFF, let v = uint64(field) { local = v; field += 8 }
                }
                extra += 4 + length
            }
            guard let compressedSize = withinFile(compressed), let localOffset = withinFile(local),
                  size <= UInt64(Self.largestMember)
            else { throw fail("\(name): sizes or offset out of range") }
            let uncompressedSize = Int(size)
            members[name] = Member(
                name: name, method: method, crc: crc, compressedSize: compressedSize,
                size: uncompressedSize, localHeaderOffset: localOffset)
            names.append(name)
            at += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The bytes of member `name`, inflated and checked against its CRC-32.
    func contents(of name: String) throws(EncoderLoadError) -> [UInt8] {
        guard let member = members[name] else { throw fail("\(name) is missing") }
        let local = member.localHeaderOffset
        guard uint32(local) == 0x0403_4b50,
              let nameLength = uint16(local + 26).map(Int.init), let extraLength = uint16(local + 28).map(Int.init)
        else { throw fail("\(name): damaged local header") }
        let start = local + 30 + nameLength + extraLength
        guard member.compressedSize <= bytes.count - start else { throw fail("\(name): truncated") }
        let data: [UInt8]
        switch member.method {
        case 0:
            guard member.compressedSize == member.size else { throw fail("\(name): stored sizes disagree") }
            data = Array(bytes[start..<(start + member.size)])
        case 8:
            data = try inflate(start: start, count: member.compressedSize, size: member.size, name: name)
        default:
            throw fail("\(name): compression method \(member.method) is not supported (stored or deflated only)")
        }
        let crc = data.withUnsafeBufferPointer { buffer in
            UInt32(crc32(0, buffer.baseAddress, UInt32(buffer.count)))
        }
        guard crc == member.crc else { throw fail("\(name): CRC mismatch (the file is damaged)") }
        return data
    }

    private func inflate(start: Int, count: Int, size: Int, name: String) throws(EncoderLoadError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: size)
        var stream = z_stream()
        // -15: raw deflate, as zip stores it (no zlib header).
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw fail("\(name): zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let status: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                guard let base = input.baseAddress, let outBase = out.baseAddress else { return size == 0 && count == 0 ? Z_STREAM_END : Z_DATA_ERROR }
                stream.next_in = UnsafeMutablePointer(mutating: base + start)
                stream.avail_in = UInt32(count)
                stream.next_out = outBase
                stream.avail_out = UInt32(size)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw fail("\(name): deflated data is damaged")
        }
        return output
    }
}
