#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `bytes` to a file of its own beside `path` (created anew, never
/// through a link, with `mode`), synced, then renames it into place, so a
/// reader sees the whole file or none. Returns nil when done, else why not;
/// nothing is left behind on failure. A process killed while writing leaves
/// a `<path>.<pid>.<random>.partial` file, which the model cache's pruning
/// removes once it is an hour old. The model cache writes its files with it too.
public func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) -> String? {
    let partial = path + ".\(getpid()).\(UInt32.random(in: 0 ... .max)).partial"
    let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard descriptor >= 0 else { return "\(partial): \(String(cString: strerror(errno)))" }
    var failure: String?
    bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, base + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            offset += written
        }
    }
    if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
    close(descriptor)
    if failure == nil, rename(partial, path) != 0 { failure = String(cString: strerror(errno)) }
    if failure != nil { unlink(partial) }
    return failure
}
