import Foundation

/// What the bot says when it asks for satisfaction feedback and when it gets
/// some: bot.yaml's `feedback:`.
public struct FeedbackTexts: Hashable, Sendable {
    /// "How satisfied are you, from 1 to 5?", when the bot asks.
    public var ask: [ResponseTemplate]
    /// The same question when the customer asked to leave feedback.
    public var askRequested: [ResponseTemplate]
    /// An answer that could not be read, asked once more.
    public var askAgain: [ResponseTemplate]
    /// "How did that compare with what you expected?"
    public var expectation: [ResponseTemplate]
    /// "How likely are you to recommend us, 0 to 10?", now and then for clients and advocates.
    public var recommend: [ResponseTemplate]
    /// "Anything you'd like to add?"
    public var comment: [ResponseTemplate]
    /// Still no answer, or the customer would rather not: the bot lets it go.
    public var dropped: [ResponseTemplate]
    /// A score of 3 or more.
    public var thanks: [ResponseTemplate]
    /// A score of 1 or 2 after the conversation ended.
    public var sorry: [ResponseTemplate]
    /// A score of 1 or 2 while the conversation is open: an apology and the offer of a person.
    public var sorryOffer: [ResponseTemplate]
    /// Why, told just after that apology ("because you didn't tell me anything useful"): kept
    /// with the score as its comment, and the offer of a person made again.
    public var reasonNoted: [ResponseTemplate]

    public static let `default` = FeedbackTexts(
        ask: [try! ResponseTemplate("Glad I could help! Before you go: how satisfied are you with my help today, from 1 (not at all) to 5 (very)? Or say skip.")],
        askRequested: [try! ResponseTemplate("Thanks for taking the time! How satisfied are you with my help today, from 1 (not at all) to 5 (very)?")],
        askAgain: [try! ResponseTemplate("Sorry, I didn't catch that. Could you give me a number from 1 to 5? Or say skip.")],
        expectation: [try! ResponseTemplate("Thanks! And how did that compare with what you expected: below, as expected, or above?")],
        recommend: [try! ResponseTemplate("How likely are you to recommend us to a friend, from 0 to 10?")],
        comment: [try! ResponseTemplate("Anything you'd like to add? (Or just say no.)")],
        dropped: [try! ResponseTemplate("No problem, thanks anyway.")],
        thanks: [try! ResponseTemplate("Thank you for your feedback. Is there anything else I can help with?")],
        sorry: [try! ResponseTemplate("I'm sorry we let you down, and thank you for telling us.")],
        sorryOffer: [try! ResponseTemplate("I'm sorry we let you down, and thank you for telling us. Would you like me to pass you to a person who can put it right?")],
        reasonNoted: [try! ResponseTemplate("Thank you: I've added that to your score, so our team sees why. Would you like me to pass you to a person who can put it right?")]
    )

    public init(
        ask: [ResponseTemplate], askRequested: [ResponseTemplate], askAgain: [ResponseTemplate], expectation: [ResponseTemplate], recommend: [ResponseTemplate],
        comment: [ResponseTemplate], dropped: [ResponseTemplate], thanks: [ResponseTemplate], sorry: [ResponseTemplate],
        sorryOffer: [ResponseTemplate], reasonNoted: [ResponseTemplate] = FeedbackTexts.default.reasonNoted
    ) {
        self.ask = ask
        self.askRequested = askRequested
        self.askAgain = askAgain
        self.expectation = expectation
        self.recommend = recommend
        self.comment = comment
        self.dropped = dropped
        self.thanks = thanks
        self.sorry = sorry
        self.sorryOffer = sorryOffer
        self.reasonNoted = reasonNoted
    }

    /// The keys of bot.yaml's `feedback:`, with where each goes.
    public static var keys: [(String, WritableKeyPath<FeedbackTexts, [ResponseTemplate]>)] { [
        ("ask", \.ask), ("ask_requested", \.askRequested), ("ask_again", \.askAgain), ("expectation", \.expectation), ("recommend", \.recommend),
        ("comment", \.comment), ("dropped", \.dropped), ("thanks", \.thanks), ("sorry", \.sorry), ("sorry_offer", \.sorryOffer),
        ("reason_noted", \.reasonNoted),
    ] }
}

/// A score of 1 or 2 just given, kept for one message so that its reason can
/// be added to the same feedback record (`FeedbackRecord.ref`).
public struct LowScore: Hashable, Sendable, Codable {
    public var score: Int
    public var ref: String?
    public var at: Date
    public var intent: String?
    public var expectation: AgainstExpectations?
    public var recommend: Int?
}
