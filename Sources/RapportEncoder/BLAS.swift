#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CBLAS

/// OpenBLAS's matrix products, opened the first time an encoder is built
/// rather than linked: a start on words alone never loads the library (nor
/// starts the threads its loader starts), and rapport runs where it is not
/// installed, on words. The functions are looked up by name and called with
/// the types cblas.h declares for them (Sources/CBLAS/shim.h).
struct BLAS: @unchecked Sendable { // C function pointers into a library that stays open
    let sgemv: rapport_cblas_sgemv
    let sgemm: rapport_cblas_sgemm

    /// The library's file names, in the order they are tried: Debian's
    /// runtime package (libopenblas0) installs the first, the -dev package the second.
    static let libraryNames = ["libopenblas.so.0", "libopenblas.so"]

    /// The library, opened once for the process; the reason when it cannot be.
    static let shared: Result<BLAS, EncoderLoadError> = open(names: libraryNames)

    /// The first of `names` that opens; it must be OpenBLAS.
    static func open(names: [String]) -> Result<BLAS, EncoderLoadError> {
        var firstError: String?
        var opened: (name: String, handle: UnsafeMutableRawPointer)?
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { opened = (name, handle); break }
            if firstError == nil, let message = dlerror() { firstError = String(cString: message) }
        }
        guard let (name, handle) = opened else {
            // A library that is there but cannot load (a dependency missing) says why; one that is not there, what to install.
            let missing = firstError.map { $0.contains("No such file") || $0.contains("cannot open shared object file") } ?? true
            return .failure(EncoderLoadError(
                file: names.first ?? "libopenblas.so.0",
                problem: missing
                    ? "OpenBLAS is not installed, and the sentence encoder needs it for its matrix products (Debian: apt-get install libopenblas0)"
                    : "OpenBLAS did not load: \(firstError ?? "unknown error")"))
        }
        guard let sgemv = dlsym(handle, "cblas_sgemv"), let sgemm = dlsym(handle, "cblas_sgemm") else {
            dlclose(handle)
            return .failure(EncoderLoadError(file: name, problem: "is not OpenBLAS: it has no cblas_sgemv or cblas_sgemm"))
        }
        // Sentences are short: one thread is fastest, and spare cores are for other requests.
        if let setThreads = dlsym(handle, "openblas_set_num_threads") {
            unsafeBitCast(setThreads, to: rapport_openblas_set_num_threads.self)(1)
        }
        return .success(BLAS(sgemv: unsafeBitCast(sgemv, to: rapport_cblas_sgemv.self),
                             sgemm: unsafeBitCast(sgemm, to: rapport_cblas_sgemm.self)))
    }
}
