import Dispatch
import Foundation
import RapportIO
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a `ProtocolServer` on standard input and output: one JSON object per
/// line each way, each answer written whole and at once, in the order the
/// requests came. Ends with status 0 at the end of input, or on SIGTERM once
/// every line already read is answered.
///
/// Requests of different sessions and customers are worked on side by side
/// (at most `window` in hand), so a turn waiting for the database does not
/// hold up the next customer's, and the engine runs on every core; requests
/// that share a session or customer run in order (`RequestOrder`). Input is
/// read on a thread of its own, so waiting for it never takes one of the
/// threads the requests run on.
public enum StdioServer {
    /// How many requests may be in hand at once: read, not yet answered.
    public static let window = 64

    /// - Returns: the exit status: 0 at end of input or SIGTERM, 1 if standard input fails.
    public static func run(
        _ server: ProtocolServer, input: Int32 = STDIN_FILENO, window: Int = StdioServer.window,
        log: @escaping @Sendable (String) -> Void
    ) async -> Int32 {
        // A host that goes away must not kill us mid-write; the failed write ends the loop instead.
        signal(SIGPIPE, SIG_IGN)

        // SIGTERM is taken by a Dispatch source (so no code runs in signal
        // context); it raises a flag and wakes the reader through a pipe. Only
        // the reader decides to stop, between reads, never in the middle of a line.
        var wake: [Int32] = [-1, -1]
        guard pipe(&wake) == 0 else {
            log("rapport serve: cannot create a pipe: \(String(cString: strerror(errno)))")
            return 1
        }
        _ = fcntl(wake[0], F_SETFL, fcntl(wake[0], F_GETFL) | O_NONBLOCK)
        let shared = Shared()
        signal(SIGTERM, SIG_IGN)
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        let wakeWriter = wake[1]
        terminate.setEventHandler {
            shared.stopReading.withLock { $0 = true }
            _ = Glibc.write(wakeWriter, "!", 1)
        }
        // The pipe is closed once the handler can no longer run (a cancelled source's handler may
        // still be running; its cancel handler comes after), and only if the reader is done with it.
        let wakeReader = wake[0]
        terminate.setCancelHandler {
            if shared.readerDone.withLock({ $0 }) {
                close(wakeReader)
                close(wakeWriter)
            }
        }
        terminate.resume()
        defer { terminate.cancel() }

        guard send(server.ready) else {
            shared.readerDone.withLock { $0 = true } // no reader was started
            return 0
        }

        let (items, itemSink) = AsyncStream.makeStream(of: LineSplitter.Item.self)
        let room = Room(window)
        let reader = Thread {
            readLines(from: input, wake: wakeReader, shared: shared, room: room, into: itemSink, log: log)
            shared.readerDone.withLock { $0 = true }
            itemSink.finish()
        }
        reader.start()

        let (answers, answerSink) = AsyncStream.makeStream(of: Task<ProtocolServer.Answer, Never>.self)
        let writer = Task {
            var written = 0
            for await task in answers {
                let answer = await task.value
                answer.warnings.forEach(log)
                if let owner = answer.owner { shared.learned.withLock { $0.append(owner) } }
                guard send(answer.line) else {
                    // The host is gone: no more requests are read or started (their answers could not
                    // reach it); those already running end with the process, as at a crash.
                    shared.hostGone.withLock { $0 = true }
                    shared.stopReading.withLock { $0 = true }
                    itemSink.finish()
                    return
                }
                written += 1
                shared.written.withLock { $0 = written }
                room.give()
            }
        }

        var order = RequestOrder<Int>()
        var running: [Int: Task<ProtocolServer.Answer, Never>] = [:]
        var place = 0
        for await item in items {
            if shared.hostGone.withLock({ $0 }) { break }
            for owner in shared.learned.withLock({ learned in defer { learned = [] }; return learned }) {
                order.learn(session: owner.session, customer: owner.customer)
            }
            if running.count > 4 * window {
                let written = shared.written.withLock { $0 }
                order.answered(before: written)
                running = running.filter { $0.key >= written }
            }
            let task: Task<ProtocolServer.Answer, Never>
            switch item {
            case .tooLong(let bytes):
                let line = server.tooLong(bytes: bytes)
                _ = order.admit(.nothing, as: place)
                task = Task { ProtocolServer.Answer(line: line) }
            case .line(let line):
                switch Result(catching: { () throws(ProtocolError) in try ProtocolRequest.decode(line) }) {
                case .failure(let error):
                    _ = order.admit(.nothing, as: place)
                    task = Task { ProtocolServer.Answer(line: error.line) }
                case .success(let request):
                    let waits = order.admit(order.footprint(of: request), as: place).compactMap { running[$0] }
                    task = Task {
                        for earlier in waits { _ = await earlier.value }
                        return await server.answer(request)
                    }
                }
            }
            running[place] = task
            place += 1
            answerSink.yield(task)
        }
        answerSink.finish()
        await writer.value
        return shared.status.withLock { $0 }
    }

    /// What the reader, the writer and the signal handler share.
    private final class Shared: Sendable {
        /// SIGTERM came, or the host stopped reading answers.
        let stopReading = Mutex(false)
        /// The host stopped reading answers.
        let hostGone = Mutex(false)
        /// The reader has returned: the wake pipe may be closed. (While a reader waits on it, the
        /// process ends with it open: closed, its number could be reused under the reader.)
        let readerDone = Mutex(false)
        /// The exit status: 1 when standard input failed.
        let status = Mutex<Int32>(0)
        /// How many answers are written.
        let written = Mutex(0)
        /// Sessions' customers that answers named, not yet passed to `RequestOrder`.
        let learned = Mutex<[(session: String, customer: String)]>([])
    }

    /// Places for requests in hand. (Not a `DispatchSemaphore`: libdispatch
    /// stops the process when one is freed with places taken, which is the
    /// case when the host stops reading answers.)
    private final class Room: @unchecked Sendable { // its state is only touched under `condition`
        private let condition = NSCondition()
        private var free: Int

        init(_ places: Int) { free = places }

        /// Waits for a free place and takes it.
        func take() {
            condition.lock()
            while free == 0 { condition.wait() }
            free -= 1
            condition.unlock()
        }

        func give() {
            condition.lock()
            free += 1
            condition.signal()
            condition.unlock()
        }
    }

    /// Reads standard input into lines until its end, SIGTERM or a failure,
    /// never holding more than `room` allows in hand. Every complete line read
    /// is passed on, even if SIGTERM came meanwhile.
    private static func readLines(
        from input: Int32, wake: Int32, shared: Shared, room: Room,
        into sink: AsyncStream<LineSplitter.Item>.Continuation, log: (String) -> Void
    ) {
        var splitter = LineSplitter()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !shared.stopReading.withLock({ $0 }) {
            var descriptors = [
                pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR { continue }
                log("rapport serve: cannot wait for input: \(String(cString: strerror(errno)))")
                shared.status.withLock { $0 = 1 }
                return
            }
            guard descriptors[0].revents != 0 else { continue } // woken: look at the flag
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                log("rapport serve: cannot read standard input: \(String(cString: strerror(errno)))")
                shared.status.withLock { $0 = 1 }
                return
            }
            let items = count > 0 ? splitter.feed(Data(buffer[0..<count])) : splitter.finish()
            for item in items {
                if case .line(let line) = item, line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    continue // blank lines are keep-alives, not requests
                }
                room.take()
                sink.yield(item)
            }
            if count == 0 { return }
        }
    }

    /// Writes one line whole; false when the reader is gone.
    private static func send(_ value: JSONValue) -> Bool {
        OutputStream.standardOutput.write(value.serialized + "\n")
    }
}
