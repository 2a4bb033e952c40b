/// The training examples' sentence vectors, kept in a model to measure how
/// near a message is to what the bot knows (the nearness floor): each vector
/// as 16-bit codes, its largest component at ±1023, with that scale.
///
/// Half the floats' size in memory and in the model file, and the scan over
/// every example, which runs for each message, reads half the bytes (8 MB
/// for BANKING77's 8,005 examples instead of 16) with half the
/// instructions: the compiler multiplies and adds eight codes in one
/// (`pmaddwd`). 8-bit codes would halve the bytes again, but widening them
/// to 16 bits first cost more than it saved on the x86-64 baseline. The
/// cosine moves by less than 0.001; the floor grades 0.2 of cosine.
struct ExampleVectors: Sendable, Equatable {
    let dimensions: Int
    /// `dimensions` codes a vector, one vector after another.
    let codes: [Int16]
    /// A vector's component is its code times its scale.
    let scales: [Float]

    var count: Int { scales.count }
    var bytes: Int { codes.count * 2 + scales.count * 4 }

    static let none = ExampleVectors(dimensions: 0, codes: [], scales: [])

    init(dimensions: Int, codes: [Int16], scales: [Float]) {
        self.dimensions = dimensions
        self.codes = codes
        self.scales = scales
    }

    /// `vectors` coded, each as its first `dimensions` values.
    init(_ vectors: [[Float]], dimensions: Int) {
        var codes: [Int16] = []
        var scales: [Float] = []
        codes.reserveCapacity(vectors.count * dimensions)
        scales.reserveCapacity(vectors.count)
        for vector in vectors {
            let coded = Self.code(vector, dimensions: dimensions)
            codes += coded.codes
            scales.append(coded.scale)
        }
        self.init(dimensions: dimensions, codes: codes, scales: scales)
    }

    /// A vector's codes (zeros past its end, and for a value that is not
    /// finite) and its scale: the largest magnitude codes as ±`largestCode`.
    /// A vector too small to scale (all zeros, or subnormal) codes as zeros.
    static func code(_ vector: [Float], dimensions: Int) -> (codes: [Int16], scale: Float) {
        var codes = [Int16](repeating: 0, count: dimensions)
        var largest: Float = 0
        for value in vector.prefix(dimensions) where value.isFinite { largest = max(largest, abs(value)) }
        let factor = Float(largestCode) / largest
        guard largest.isNormal, factor.isFinite else { return (codes, 0) }
        let bound = Float(largestCode)
        for (index, value) in vector.prefix(dimensions).enumerated() where value.isFinite {
            codes[index] = Int16(min(max((value * factor).rounded(), -bound), bound))
        }
        return (codes, largest / bound)
    }

    /// The largest dot product of `vector` with an example's, coded alike:
    /// for unit vectors, the cosine with the nearest example. 0 when there
    /// is no example, or `vector` has another length.
    func nearest(to vector: [Float]) -> Float {
        guard dimensions > 0, dimensions <= Self.largestWidth, vector.count == dimensions, count > 0 else { return 0 }
        let query = Self.code(vector, dimensions: dimensions)
        var best = -Float.infinity
        query.codes.withUnsafeBufferPointer { q in
            codes.withUnsafeBufferPointer { c in
                scales.withUnsafeBufferPointer { scales in
                    guard let q = q.baseAddress, let c = c.baseAddress else { return }
                    for example in 0..<scales.count {
                        best = max(best, Float(Self.dot(q, c + example * dimensions, count: dimensions)) * scales[example])
                    }
                }
            }
        }
        return best.isFinite ? best * query.scale : 0
    }

    /// The largest code: a product of two is at most 2²⁰, so a sum of
    /// `largestWidth` of them fits 32 bits.
    static let largestCode: Int16 = 1023
    /// The most values a vector may have (the encoder's are 512); nearness
    /// is 0, no floor, for wider ones.
    static let largestWidth = 2048

    /// The dot product of `count` codes in 32 bits: a plain loop, which the
    /// compiler turns into vector multiply-adds.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Int16>, _ y: UnsafePointer<Int16>, count: Int) -> Int32 {
        var total: Int32 = 0
        for index in 0..<count { total &+= Int32(x[index]) &* Int32(y[index]) }
        return total
    }
}
