import Synchronization

/// Group commit: the turns that reach the store while it is writing are
/// written together next, in one transaction and one sync to disk, instead of
/// one sync each. Every caller is answered only once the transaction holding
/// its commit is durable, so acknowledging a turn or a score still means it
/// survives a crash; `write` decides what each one's outcome is (a store
/// gives each commit a savepoint of its own, so one refused commit leaves
/// the others stored).
///
/// With one call at a time this is one commit per transaction, as before; it
/// pays when several sessions' turns are answered side by side
/// (`rapport serve`), where the sync to disk is what they queue for.
final class CommitBatches<Item: Sendable, Receipt: Sendable>: Sendable {
    typealias Outcome = Result<Receipt, StoreError>

    private struct Waiting: Sendable {
        var item: Item
        var continuation: CheckedContinuation<Outcome, Never>
    }

    /// The commits waiting, and whether a batch is being written (which writes the next when done).
    private let state = Mutex<(waiting: [Waiting], writing: Bool)>(([], false))
    /// Writes a batch; one outcome per item, in the same order.
    private let write: @Sendable ([Item]) async -> [Outcome]
    /// At most this many commits in one transaction, so none waits behind a long one.
    let limit: Int

    init(limit: Int = 64, write: @escaping @Sendable ([Item]) async -> [Outcome]) {
        precondition(limit >= 1)
        self.limit = limit
        self.write = write
    }

    /// Stores `item` with whatever else is waiting; returns once it is durable, or why it is not stored.
    func commit(_ item: Item) async -> Outcome {
        await withCheckedContinuation { continuation in
            let starts = state.withLock { state in
                state.waiting.append(Waiting(item: item, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if starts { Task { await self.writeWhileWaiting() } }
        }
    }

    private func writeWhileWaiting() async {
        while true {
            let batch: [Waiting] = state.withLock { state in
                guard !state.waiting.isEmpty else {
                    state.writing = false
                    return []
                }
                let taken = Array(state.waiting.prefix(limit))
                state.waiting.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            let outcomes = await write(batch.map(\.item))
            assert(outcomes.count == batch.count, "one outcome per commit")
            for (index, waiting) in batch.enumerated() {
                waiting.continuation.resume(returning: index < outcomes.count
                    ? outcomes[index] : .failure(.operationFailed(operation: "store a turn", reason: "no outcome for it")))
            }
        }
    }
}
