import Foundation

// The dialogue state is saved in the store after every event, so a
// conversation picked up after a restart is exactly where it was, including
// what replaying its messages cannot rebuild (an accepted offer to pick up, a
// feedback question, a nudge). These conformances are all synthesised.

extension DialogueState.Phase: Codable {}
extension HandoffSummary.Reason: Codable {}
extension ProfileFact.Source: Codable {}
extension LoyaltyStage: Codable {}
extension FeedbackInProgress.Step: Codable {}
extension AgainstExpectations: Codable {}
extension Exchange.Speaker: Codable {}

extension DialogueState {
    /// The layout of a saved state. Raise it when a change to `DialogueState`
    /// makes older saved states unreadable or wrong; a rapport then rebuilds
    /// such a session from its turns instead of reading its state, and an older
    /// rapport does the same with a newer state.
    public static let formatVersion = 1

    /// A saved state and the layout it was written in.
    private struct Saved: Codable {
        var format: Int
        var state: DialogueState
    }

    /// The state as JSON, for the store, with its format version: the
    /// conversation's lines and first message with e-mail addresses, phone and
    /// card numbers masked, as turns are.
    public func encoded() throws -> Data {
        var stored = self
        stored.recent = recent.map { Exchange($0.speaker, PersonalDataMask.mask($0.text)) }
        stored.firstMessage = firstMessage.map(PersonalDataMask.mask)
        return try JSONEncoder().encode(Saved(format: Self.formatVersion, state: stored))
    }

    /// A state saved by `encoded()`; nil if it cannot be read (damaged, or
    /// saved in another format version), in which case the conversation is
    /// rebuilt from its turns.
    public static func decoded(from data: Data) -> DialogueState? {
        let decoder = JSONDecoder()
        if let saved = try? decoder.decode(Saved.self, from: data) {
            return saved.format == formatVersion ? saved.state : nil
        }
        // Saved before states had a format version: the layout of version 1.
        return try? decoder.decode(DialogueState.self, from: data)
    }

    /// The format version a saved state was written in: 0 for one saved before
    /// states had one, nil for bytes that are no saved state.
    public static func formatVersion(of data: Data) -> Int? {
        struct Format: Decodable { var format: Int }
        if let format = try? JSONDecoder().decode(Format.self, from: data) { return format.format }
        return (try? JSONDecoder().decode(DialogueState.self, from: data)) != nil ? 0 : nil
    }
}
