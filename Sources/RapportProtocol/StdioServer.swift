import Dispatch
import Foundation
import RapportIO
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a `ProtocolServer` on standard input and output: one JSON object per
/// line each way, each answer written whole and at once. Ends with status 0 at
/// the end of input, or on SIGTERM once every line already read is answered.
public enum StdioServer {
    /// - Returns: the exit status: 0 at end of input or SIGTERM, 1 if standard input fails.
    public static func run(_ server: inout ProtocolServer, input: Int32 = STDIN_FILENO, log: (String) -> Void) async -> Int32 {
        // A host that goes away must not kill us mid-write; the failed write ends the loop instead.
        signal(SIGPIPE, SIG_IGN)

        // SIGTERM is taken by a Dispatch source (so no code runs in signal
        // context); it raises a flag and wakes the loop through a pipe. Only
        // the loop decides to stop, between lines, never in the middle of one.
        var wake: [Int32] = [-1, -1]
        guard pipe(&wake) == 0 else {
            log("rapport serve: cannot create a pipe: \(String(cString: strerror(errno)))")
            return 1
        }
        defer { close(wake[0]); close(wake[1]) }
        _ = fcntl(wake[0], F_SETFL, fcntl(wake[0], F_GETFL) | O_NONBLOCK)
        let terminating = Mutex(false)
        signal(SIGTERM, SIG_IGN)
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        let wakeWriter = wake[1]
        terminate.setEventHandler {
            terminating.withLock { $0 = true }
            _ = Glibc.write(wakeWriter, "!", 1)
        }
        terminate.resume()
        defer { terminate.cancel() }

        guard send(server.ready) else { return 0 }
        var splitter = LineSplitter()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !terminating.withLock({ $0 }) {
            var descriptors = [
                pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0),
            ]
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR { continue }
                log("rapport serve: cannot wait for input: \(String(cString: strerror(errno)))")
                return 1
            }
            guard descriptors[0].revents != 0 else { continue } // woken: look at the flag
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                log("rapport serve: cannot read standard input: \(String(cString: strerror(errno)))")
                return 1
            }
            // Every complete line read is answered, even if SIGTERM came meanwhile.
            let items = count > 0 ? splitter.feed(Data(buffer[0..<count])) : splitter.finish()
            for item in items {
                let answer: JSONValue
                switch item {
                case .line(let line) where line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }):
                    continue // blank lines are keep-alives, not requests
                case .line(let line): answer = await server.serve(line)
                case .tooLong(let bytes): answer = server.tooLong(bytes: bytes)
                }
                server.takeDiagnostics().forEach(log)
                guard send(answer) else { return 0 }
            }
            if count == 0 { return 0 }
        }
        return 0
    }

    /// Writes one line whole; false when the reader is gone.
    private static func send(_ value: JSONValue) -> Bool {
        OutputStream.standardOutput.write(value.serialized + "\n")
    }
}
