import Foundation
import RapportCore

/// The version of the line protocol described in docs/PROTOCOL.md.
public enum ProtocolVersion {
    public static let current = 1
    /// The longest line accepted, in bytes, newline excluded.
    public static let maxLineBytes = 65_536
    /// The longest customer message accepted, in characters.
    public static let maxTextCharacters = 2_000
}

/// A request read from one line, already checked for shape and types.
public enum ProtocolRequest: Hashable, Sendable {
    case message(id: JSONValue?, session: String, customer: String?, text: String)
    /// Opens a session with the bot's welcome (and an offer to pick up the
    /// customer's unfinished conversation, if there is one).
    case start(id: JSONValue?, session: String, customer: String?)
    /// The customer has been quiet for as long as the host waits.
    case timeout(id: JSONValue?, session: String)
    case end(id: JSONValue?, session: String)
    /// Satisfaction with the session: `score` 1 to 5, and an optional comment.
    case feedback(id: JSONValue?, session: String, score: Int, comment: String?)
    /// What rapport keeps about a customer.
    case profile(id: JSONValue?, customer: String)
    /// Erase everything kept about a customer.
    case forget(id: JSONValue?, customer: String)
    case ping(id: JSONValue?)

    public var id: JSONValue? {
        switch self {
        case .message(let id, _, _, _), .start(let id, _, _), .timeout(let id, _), .end(let id, _), .feedback(let id, _, _, _),
             .profile(let id, _), .forget(let id, _), .ping(let id):
            return id
        }
    }
}

/// Why a line could not be served. `code` is stable: hosts may branch on it.
public struct ProtocolError: Error, Hashable, Sendable {
    public enum Code: String, Sendable, CaseIterable {
        case invalidUTF8 = "invalid_utf8"
        case lineTooLong = "line_too_long"
        case invalidJSON = "invalid_json"
        case notAnObject = "not_an_object"
        case missingField = "missing_field"
        case wrongType = "wrong_type"
        case unknownType = "unknown_type"
        case emptyText = "empty_text"
        case invalidValue = "invalid_value"
        case textTooLong = "text_too_long"
        case unknownSession = "unknown_session"
        case sessionEnded = "session_ended"
        case sessionExists = "session_exists"
        case customerMismatch = "customer_mismatch"
        case storeFailed = "store_failed"
    }

    public var code: Code
    public var message: String
    /// The request's `id`, when it could be read.
    public var id: JSONValue?

    public init(_ code: Code, _ message: String, id: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.id = id
    }

    public var line: JSONValue {
        .object([("type", .string("error")), ("id", id ?? .null), ("code", .string(code.rawValue)), ("message", .string(message))])
    }
}

extension ProtocolRequest {
    static let types = ["message", "start", "timeout", "end", "feedback", "profile", "forget", "ping"]

    /// Reads a request from one line's bytes (without its newline).
    public static func decode(_ line: Data) throws(ProtocolError) -> ProtocolRequest {
        guard line.count <= ProtocolVersion.maxLineBytes else {
            throw ProtocolError(.lineTooLong, "the line is \(line.count) bytes; the limit is \(ProtocolVersion.maxLineBytes)")
        }
        guard String(validating: line, as: UTF8.self) != nil else {
            throw ProtocolError(.invalidUTF8, "the line is not valid UTF-8")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(line)
        } catch {
            throw ProtocolError(.invalidJSON, "the line is not valid JSON (\(error)); send one JSON object per line")
        }
        guard case .object = value else {
            throw ProtocolError(.notAnObject, "the line must be a JSON object like {\"type\":\"message\",...}")
        }
        let id = value["id"]
        if let id {
            switch id {
            case .string, .null: break
            case .number(let number) where number == number.rounded() && abs(number) <= JSONValue.largestExactInteger:
                break // echoed exactly
            default:
                throw ProtocolError(
                    .wrongType, "'id' must be a string, or a whole number from -9007199254740991 to 9007199254740991 (larger ones cannot be echoed exactly)", id: nil
                )
            }
        }
        func string(_ key: String, required: Bool) throws(ProtocolError) -> String? {
            switch value[key] {
            case .none, .null?:
                if required { throw ProtocolError(.missingField, "'\(key)' is missing", id: id) }
                return nil
            case .string(let text)?:
                return text
            case let other?:
                throw ProtocolError(.wrongType, "'\(key)' must be a string, not \(kind(other))", id: id)
            }
        }
        let type = try string("type", required: false) ?? "message"
        switch type {
        case "message":
            guard let session = try string("session", required: true), let text = try string("text", required: true) else {
                throw ProtocolError(.missingField, "'session' and 'text' are required", id: id)
            }
            try checkSession(session, id: id)
            let customer = try string("customer", required: false)
            if let customer { try checkIdentifier("customer", customer, id: id) }
            if text.allSatisfy(\.isWhitespace) { throw ProtocolError(.emptyText, "'text' is empty", id: id) }
            if text.count > ProtocolVersion.maxTextCharacters {
                throw ProtocolError(.textTooLong, "'text' is \(text.count) characters; the limit is \(ProtocolVersion.maxTextCharacters)", id: id)
            }
            return .message(id: id, session: session, customer: customer, text: text)
        case "start":
            guard let session = try string("session", required: true) else {
                throw ProtocolError(.missingField, "'session' is missing", id: id)
            }
            try checkSession(session, id: id)
            let customer = try string("customer", required: false)
            if let customer { try checkIdentifier("customer", customer, id: id) }
            return .start(id: id, session: session, customer: customer)
        case "end", "timeout":
            guard let session = try string("session", required: true) else {
                throw ProtocolError(.missingField, "'session' is missing", id: id)
            }
            try checkSession(session, id: id)
            return type == "end" ? .end(id: id, session: session) : .timeout(id: id, session: session)
        case "feedback":
            guard let session = try string("session", required: true) else {
                throw ProtocolError(.missingField, "'session' is missing", id: id)
            }
            try checkSession(session, id: id)
            let score: Int
            switch value["score"] {
            case .none, .null?:
                throw ProtocolError(.missingField, "'score' is missing", id: id)
            case .number(let number)?:
                guard number == number.rounded(), (1...5).contains(number) else {
                    throw ProtocolError(.invalidValue, "'score' must be a whole number from 1 (very unhappy) to 5 (very happy)", id: id)
                }
                score = Int(number)
            case let other?:
                throw ProtocolError(.wrongType, "'score' must be a number, not \(kind(other))", id: id)
            }
            let comment = try string("comment", required: false)
            if let comment, comment.count > ProtocolVersion.maxTextCharacters {
                throw ProtocolError(.textTooLong, "'comment' is \(comment.count) characters; the limit is \(ProtocolVersion.maxTextCharacters)", id: id)
            }
            return .feedback(id: id, session: session, score: score, comment: comment.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 })
        case "profile", "forget":
            guard let customer = try string("customer", required: true) else {
                throw ProtocolError(.missingField, "'customer' is missing", id: id)
            }
            try checkIdentifier("customer", customer, id: id)
            return type == "profile" ? .profile(id: id, customer: customer) : .forget(id: id, customer: customer)
        case "ping":
            return .ping(id: id)
        default:
            throw ProtocolError(.unknownType, "unknown type '\(type)'; this server handles \(types.joined(separator: ", "))", id: id)
        }
    }

    private static func checkSession(_ session: String, id: JSONValue?) throws(ProtocolError) {
        try checkIdentifier("session", session, id: id)
    }

    /// A session or customer id must be what `Identifier` allows.
    private static func checkIdentifier(_ key: String, _ value: String, id: JSONValue?) throws(ProtocolError) {
        guard let problem = Identifier.problem(in: value) else { return }
        let code: ProtocolError.Code = switch problem {
        case .empty, .tooLong: .wrongType
        case .controlCharacter, .notNormalized: .invalidValue
        }
        throw ProtocolError(code, problem.message(for: "'\(key)'"), id: id)
    }

    private static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
