import Testing
import CBLAS
@testable import RapportEncoder

/// OpenBLAS is opened when the first encoder is built, not linked: these
/// check what a machine without it, or with another library under its name, is told.
@Suite struct BLASTests {
    @Test func aMissingLibraryIsOneLineThatSaysWhatToInstall() throws {
        let result = BLAS.open(names: ["libno-such-blas.so.0"])
        guard case .failure(let error) = result else { Issue.record("opened a library that does not exist"); return }
        #expect(error.description == "libno-such-blas.so.0: OpenBLAS is not installed, and the sentence encoder needs it for its matrix products (Debian: apt-get install libopenblas0)")
        #expect(!error.description.contains("\n"))
    }

    @Test func aLibraryWithoutTheProductsIsNotTakenForOpenBLAS() throws {
        // zlib is linked by the encoder for weights.npz, so it is on every machine that builds rapport.
        let result = BLAS.open(names: ["libno-such-blas.so.0", "libz.so.1"])
        guard case .failure(let error) = result else { Issue.record("took zlib for OpenBLAS"); return }
        #expect(error.file == "libz.so.1")
        #expect(error.problem == "is not OpenBLAS: it has no cblas_sgemv or cblas_sgemm")
    }

    // Where rapport builds, OpenBLAS is installed: its header comes with the library (libopenblas-dev).
    @Test func theInstalledLibraryOpensAndMultiplies() throws {
        let blas = try BLAS.shared.get()
        // [1 2; 3 4] (row major) times [1, 1]: [3, 7].
        let matrix: [Float] = [1, 2, 3, 4], vector: [Float] = [1, 1]
        var out: [Float] = [0, 0]
        matrix.withUnsafeBufferPointer { m in
            vector.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    blas.sgemv(CblasRowMajor, CblasNoTrans, 2, 2, 1, m.baseAddress, 2, v.baseAddress, 1, 0, o.baseAddress, 1)
                }
            }
        }
        #expect(out == [3, 7])
    }
}
