import Dispatch
import Foundation
import RapportIO
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a `ProtocolServer` on standard input and output: one JSON object per
/// line each way, each answer written whole and at once. Ends with status 0 at
/// the end of input, or on SIGTERM once the line in hand is answered.
public enum StdioServer {
    private struct Shutdown {
        var busy = false
        var requested = false
    }

    public static func run(
        _ server: inout ProtocolServer,
        input: Int32 = STDIN_FILENO,
        log: (String) -> Void
    ) -> Int32 {
        // A host that goes away must not kill us mid-write; the failed write ends the loop instead.
        signal(SIGPIPE, SIG_IGN)
        let shutdown = Mutex(Shutdown())
        signal(SIGTERM, SIG_IGN)
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        terminate.setEventHandler {
            let idle = shutdown.withLock { state -> Bool in
                state.requested = true
                return !state.busy
            }
            if idle { exit(0) }
        }
        terminate.resume()

        guard send(server.ready) else { return 0 }
        var splitter = LineSplitter()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            let items = count > 0 ? splitter.feed(Data(buffer[0..<count])) : splitter.finish()
            for item in items {
                shutdown.withLock { $0.busy = true }
                let answer: JSONValue
                switch item {
                case .line(let line) where line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }):
                    shutdown.withLock { $0.busy = false }
                    continue // blank lines are keep-alives, not requests
                case .line(let line): answer = server.serve(line)
                case .tooLong(let bytes): answer = server.tooLong(bytes: bytes)
                }
                server.takeDiagnostics().forEach(log)
                let delivered = send(answer)
                let stop = shutdown.withLock { state -> Bool in
                    state.busy = false
                    return state.requested
                }
                if !delivered || stop { return 0 }
            }
            if count <= 0 { return 0 }
        }
    }

    /// Writes one line whole; false when the reader is gone.
    private static func send(_ value: JSONValue) -> Bool {
        OutputStream.standardOutput.write(value.serialized + "\n")
    }
}
