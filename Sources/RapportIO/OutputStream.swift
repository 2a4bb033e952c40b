#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to standard output and error without ever trapping: Foundation's
/// `FileHandle.write` stops the process when the reader has gone (a closed
/// pipe, a host that exited), and rapport must never crash on that.
public enum OutputStream {
    case standardOutput, standardError

    private var descriptor: Int32 {
        switch self {
        case .standardOutput: return STDOUT_FILENO
        case .standardError: return STDERR_FILENO
        }
    }

    /// Writes all of `text`, retrying short and interrupted writes. Returns
    /// false when it could not (the reader is gone); callers that only log may
    /// ignore that.
    @discardableResult
    public func write(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
