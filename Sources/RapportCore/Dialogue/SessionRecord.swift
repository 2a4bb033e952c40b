import Foundation

/// One conversation as the store keeps it.
public struct SessionRecord: Hashable, Sendable {
    public var id: String
    /// Who the conversation is with; the console's `--customer`, the protocol's `customer`.
    public var customerID: String
    /// Which front end served it: "console", "protocol", "transcript".
    public var channel: String
    public var startedAt: Date
    public var endedAt: Date?

    public init(id: String, customerID: String, channel: String, startedAt: Date, endedAt: Date? = nil) {
        self.id = id
        self.customerID = customerID
        self.channel = channel
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}
