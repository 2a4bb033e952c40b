#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of the file at `path`, or a one-line error naming it with the
/// system's reason. (Foundation is not needed for this, so the module does
/// without it.)
func readWholeFile(_ path: String) throws(EncoderLoadError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw EncoderLoadError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytes += buffer[0 ..< count]
        if count < buffer.count {
            // Short reads only happen at the end or on an error (a directory, say).
            if ferror(file) != 0 {
                throw EncoderLoadError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
            }
            return bytes
        }
    }
}
