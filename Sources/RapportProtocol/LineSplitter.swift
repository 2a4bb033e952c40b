import Foundation

/// Cuts a byte stream into lines, never holding more than the protocol's
/// limit: a line that grows past it is dropped as it arrives and reported
/// once, and reading resumes at the next newline.
public struct LineSplitter: Sendable {
    public enum Item: Hashable, Sendable {
        case line(Data)
        /// A line over the limit was skipped; `bytes` is how much of it was seen (at least the limit).
        case tooLong(bytes: Int)
    }

    public let limit: Int
    private var pending = Data()
    /// Bytes of an over-long line discarded so far, or nil when not skipping.
    private var skipped: Int?

    public init(limit: Int = ProtocolVersion.maxLineBytes) {
        self.limit = limit
    }

    public mutating func feed(_ bytes: Data) -> [Item] {
        var items: [Item] = []
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            let piece = rest[rest.startIndex..<newline]
            rest = rest[(newline + 1)...]
            if let seen = skipped {
                items.append(.tooLong(bytes: seen + piece.count))
                skipped = nil
            } else if pending.count + piece.count > limit {
                items.append(.tooLong(bytes: pending.count + piece.count))
                pending.removeAll()
            } else {
                pending.append(contentsOf: piece)
                items.append(.line(Self.trimmingCarriageReturn(pending)))
                pending.removeAll()
            }
        }
        if let seen = skipped {
            skipped = seen + rest.count
        } else if pending.count + rest.count > limit {
            skipped = pending.count + rest.count
            pending.removeAll()
        } else {
            pending.append(contentsOf: rest)
        }
        return items
    }

    /// What is left at the end of input: a last line with no newline is still served.
    public mutating func finish() -> [Item] {
        defer {
            pending.removeAll()
            skipped = nil
        }
        if let seen = skipped { return [.tooLong(bytes: seen)] }
        return pending.isEmpty ? [] : [.line(Self.trimmingCarriageReturn(pending))]
    }

    private static func trimmingCarriageReturn(_ line: Data) -> Data {
        line.last == 0x0D ? Data(line.dropLast()) : Data(line)
    }
}
