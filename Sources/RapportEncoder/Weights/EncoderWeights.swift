/// A row-major matrix of Float.
struct Matrix: Sendable {
    var rows: Int
    var columns: Int
    var values: [Float]
}

/// The weights of USE multilingual v3 as `weights.npz` carries them, each
/// checked for its shape, laid out for the forward pass.
///
/// The embedding table stays quantised (one byte an element, 65 MB instead of
/// 262 MB as Float): the rows are in 17 chunks, piece `id` is row `id / 17` of
/// chunk `id % 17`, and a row is dequantised with its chunk's scale and
/// offset when a sentence uses it.
struct EncoderWeights: Sendable {
    static let chunks = 17
    static let rowsPerChunk = 7530
    static let embeddingWidth = 512
    static let branchWidth = 256
    static let featureWidth = embeddingWidth + 3 * branchWidth
    static let outputWidth = 512

    /// One CNN n-gram branch: `order` tokens from `left` before the current one.
    struct Branch: Sendable {
        var order: Int
        var left: Int
        var first: Matrix, firstBias: [Float]
        var second: Matrix, secondBias: [Float]
    }

    var table: [UInt8]
    var scale: [Float]
    var offset: [Float]
    /// The three branches' input projections side by side (512 x 768).
    var projection: Matrix
    var projectionBias: [Float]
    var projectionGamma: [Float], projectionBeta: [Float]
    var branches: [Branch]
    var featureGamma: [Float], featureBeta: [Float]
    var pooling: Matrix, poolingBias: [Float]
    var d0: Matrix, d1: Matrix, p1: Matrix, d2: Matrix, p3: Matrix, d3: Matrix
    var epsilon: Float
    /// The members' CRC-32s, in the archive's order, mixed: names these weights.
    var digest: UInt64

    var vocabularySize: Int { Self.chunks * Self.rowsPerChunk }

    /// Each CNN branch's order and how many tokens before the current one it starts.
    static let branchOrders = [(2, 0), (3, 1), (5, 2)]

    /// Reads `weights.npz` at `path`.
    init(contentsOf path: String) throws(EncoderLoadError) {
        try self.init(npz: try readWholeFile(path), file: path)
    }

    init(npz: [UInt8], file: String) throws(EncoderLoadError) {
        try self.init(archive: try ZipArchive(bytes: npz, file: file), file: file)
    }

    /// The digest that names the weights in `archive`: its members' CRC-32s,
    /// in order, mixed. Read from the central directory, without inflating.
    static func digest(of archive: ZipArchive) -> UInt64 {
        archive.names.reduce(0xCBF2_9CE4_8422_2325) { hash, name in
            (hash ^ UInt64(archive.members[name]?.crc ?? 0)) &* 0x0000_0100_0000_01B3
        }
    }

    init(archive: ZipArchive, file: String) throws(EncoderLoadError) {
        digest = Self.digest(of: archive)

        func array(_ name: String, _ shape: [Int]) throws(EncoderLoadError) -> NumpyArray {
            let member = name + ".npy"
            let array = try NumpyArray(bytes: try archive.contents(of: member), name: "\(file): \(member)")
            guard array.shape == shape else {
                throw EncoderLoadError(file: file, problem: "\(member) has shape \(array.shape), expected \(shape)")
            }
            return array
        }
        func floats(_ name: String, _ shape: [Int]) throws(EncoderLoadError) -> [Float] {
            let a = try array(name, shape)
            guard let values = a.floats() else {
                throw EncoderLoadError(file: file, problem: "\(name).npy holds \(a.element.rawValue), expected floats")
            }
            return values
        }
        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws(EncoderLoadError) -> Matrix {
            Matrix(rows: rows, columns: columns, values: try floats(name, [rows, columns]))
        }

        let width = Self.embeddingWidth
        var table: [UInt8] = []
        table.reserveCapacity(Self.chunks * Self.rowsPerChunk * width)
        for chunk in 1...Self.chunks {
            let q = try array("q\(chunk)", [Self.rowsPerChunk, width])
            guard q.element == .uint8 else {
                throw EncoderLoadError(file: file, problem: "q\(chunk).npy holds \(q.element.rawValue), expected uint8")
            }
            table.append(contentsOf: q.data)
        }
        self.table = table
        scale = try floats("scale", [Self.chunks])
        offset = try floats("lo", [Self.chunks])

        let branch = Self.branchWidth
        var projections: [Matrix] = []
        var biases: [Float] = [], gammas: [Float] = [], betas: [Float] = []
        var branches: [Branch] = []
        for (order, left) in Self.branchOrders {
            projections.append(try matrix("proj\(order)", width, branch))
            biases += try floats("proj_b\(order)", [branch])
            gammas += try floats("ln_g\(order)", [branch])
            betas += try floats("ln_b\(order)", [branch])
            branches.append(Branch(
                order: order, left: left,
                first: try matrix("w1_\(order)", order * branch, branch), firstBias: try floats("b1_\(order)", [branch]),
                second: try matrix("w2_\(order)", order * branch, branch), secondBias: try floats("b2_\(order)", [branch])))
        }
        // Side by side: row r of the joined matrix is row r of each, in turn.
        var joined = [Float](repeating: 0, count: width * 3 * branch)
        for (index, p) in projections.enumerated() {
            for row in 0..<width {
                for column in 0..<branch {
                    joined[row * 3 * branch + index * branch + column] = p.values[row * branch + column]
                }
            }
        }
        projection = Matrix(rows: width, columns: 3 * branch, values: joined)
        projectionBias = biases
        projectionGamma = gammas
        projectionBeta = betas
        self.branches = branches
        featureGamma = try floats("ln_g", [Self.featureWidth])
        featureBeta = try floats("ln_b", [Self.featureWidth])
        pooling = try matrix("cnn_W", Self.featureWidth, Self.outputWidth)
        poolingBias = try floats("cnn_b", [Self.outputWidth])
        d0 = try matrix("d0", 512, 320)
        d1 = try matrix("d1", 320, 320)
        p1 = try matrix("p1", 512, 320)
        d2 = try matrix("d2", 320, 512)
        p3 = try matrix("p3", 320, 512)
        d3 = try matrix("d3", 512, 512)
        guard let eps = try floats("eps", []).first else {
            throw EncoderLoadError(file: file, problem: "eps.npy is empty")
        }
        epsilon = eps
    }
}
