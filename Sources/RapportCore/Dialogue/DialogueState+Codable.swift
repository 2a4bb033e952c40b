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
    /// The state as JSON, for the store: the conversation's lines and first
    /// message with e-mail addresses, phone and card numbers masked, as turns are.
    public func encoded() throws -> Data {
        var stored = self
        stored.recent = recent.map { Exchange($0.speaker, PersonalDataMask.mask($0.text)) }
        stored.firstMessage = firstMessage.map(PersonalDataMask.mask)
        return try JSONEncoder().encode(stored)
    }

    /// A state saved by `encoded()`; nil if it cannot be read (saved by an
    /// incompatible version), in which case the conversation is rebuilt from its turns.
    public static func decoded(from data: Data) -> DialogueState? {
        try? JSONDecoder().decode(DialogueState.self, from: data)
    }
}
