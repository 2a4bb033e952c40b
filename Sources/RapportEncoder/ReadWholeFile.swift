#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The most a model file may hold: the real ones are 2.5 and 30 MB. Reading
/// stops there, so a path to /dev/zero cannot exhaust memory.
let largestModelFile = 256 << 20

/// The bytes of the file at `path`, or a one-line error naming it with the
/// system's reason. (Foundation is not needed for this, so the module does
/// without it.)
func readWholeFile(_ path: String) throws(EncoderLoadError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw EncoderLoadError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    // One allocation for a regular file (30 MB for weights.npz).
    var info = stat()
    if fstat(fileno(file), &info) == 0, info.st_size > 0, Int(info.st_size) <= largestModelFile {
        bytes.reserveCapacity(Int(info.st_size))
    }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytes += buffer[0 ..< count]
        if bytes.count > largestModelFile {
            throw EncoderLoadError(file: path, problem: "is larger than any model file (more than \(largestModelFile >> 20) MB)")
        }
        if count < buffer.count {
            // Short reads only happen at the end or on an error (a directory, say).
            if ferror(file) != 0 {
                throw EncoderLoadError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
            }
            return bytes
        }
    }
}
