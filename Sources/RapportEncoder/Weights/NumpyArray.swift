/// One array in numpy's `.npy` format: its element type, its shape and its
/// raw little-endian bytes, checked against each other.
struct NumpyArray {
    enum Element: String {
        case float32 = "<f4"
        case float64 = "<f8"
        case uint8 = "|u1"
        case int8 = "|i1"

        var size: Int {
            switch self {
            case .float32: 4
            case .float64: 8
            case .uint8, .int8: 1
            }
        }
    }

    var element: Element
    var shape: [Int]
    /// The element bytes, row-major.
    var data: ArraySlice<UInt8>

    var count: Int { shape.reduce(1, *) }

    /// Parses `bytes`; `name` is what errors call the array.
    init(bytes: [UInt8], name: String) throws(EncoderLoadError) {
        func fail(_ problem: String) -> EncoderLoadError { EncoderLoadError(file: name, problem: problem) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("not a .npy array") }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw fail(".npy version \(major) is not supported")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail("truncated .npy header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)

        guard let descr = Self.value(of: "descr", in: header)?.trimmingQuotes,
              let element = Element(rawValue: descr) else {
            throw fail("element type is not one of float32, float64, uint8, int8 (header \(header.trimmingSpaces))")
        }
        guard Self.value(of: "fortran_order", in: header) == "False" else { throw fail("arrays in Fortran order are not supported") }
        guard let shapeText = Self.value(of: "shape", in: header), shapeText.first == "(", shapeText.last == ")" else {
            throw fail("no shape in the header")
        }
        var shape: [Int] = []
        for part in shapeText.dropFirst().dropLast().split(separator: ",") {
            let digits = part.trimmingSpaces
            if digits.isEmpty { continue }
            guard let dimension = Int(digits), dimension >= 0 else { throw fail("bad shape \(shapeText)") }
            shape.append(dimension)
        }
        let start = headerStart + headerLength
        // Counted in bytes from the start, so no product can overflow unnoticed.
        let (needed, overflow) = shape.reduce((element.size, false)) { partial, dimension in
            let (product, o) = partial.0.multipliedReportingOverflow(by: dimension)
            return (product, partial.1 || o)
        }
        guard !overflow, bytes.count - start == needed else {
            throw fail("holds \(bytes.count - start) bytes of data, but shape \(shapeText) of \(descr) needs \(overflow ? "more" : String(needed))")
        }
        self.element = element
        self.shape = shape
        self.data = bytes[start...]
    }

    /// The text after `'key':` up to the next top-level comma or the closing brace.
    private static func value(of key: String, in header: String) -> String? {
        guard let range = header.firstRange(of: "'\(key)':") else { return nil }
        var depth = 0
        var result = ""
        for character in header[range.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0 && (character == "," || character == "}") { break }
            result.append(character)
        }
        return result.trimmingSpaces
    }

    /// The elements as Float, converting float64; nil for integer arrays.
    func floats() -> [Float]? {
        switch element {
        case .float32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                data.withUnsafeBytes { raw in
                    for index in 0..<count {
                        buffer[index] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self).littleEndian)
                    }
                }
                initialized = count
            }
        case .float64:
            return data.withUnsafeBytes { raw in
                (0..<count).map { Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian)) }
            }
        case .uint8, .int8:
            return nil
        }
    }
}

private extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    var trimmingQuotes: String {
        String(filter { $0 != "'" && $0 != "\"" })
    }
}
