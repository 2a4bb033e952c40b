import Foundation
import RapportCore

/// One example for training or testing a matcher: a text and its intent.
public struct LabelledText: Hashable, Sendable {
    public var text: String
    public var label: String
    /// The conversation contexts open when the text is read: tested, it is
    /// ranked only among the intents these allow (`ContextNeeds`). None for
    /// a message that opens a conversation, and for every row of a CSV file.
    public var openContexts: Set<String>

    public init(text: String, label: String, openContexts: Set<String> = []) {
        self.text = text
        self.label = label
        self.openContexts = openContexts
    }
}

/// A problem reading a data file, with where.
public struct DataFileProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): error: \(message)"
    }
}

/// Reads `text,category` CSV files (RFC 4180: quoted fields, doubled quotes,
/// commas and newlines inside quotes, CRLF or LF), the form of the public
/// intent-classification data sets.
public enum LabelledCSV {
    public static func parse(_ content: String, file: String) throws(DataFileProblem) -> [LabelledText] {
        var rows: [(line: Int, fields: [String])] = []
        var field = ""
        var fields: [String] = []
        var quoted = false
        var line = 1
        var rowLine = 1
        var iterator = content.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func endRow() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
            fields = []
        }
        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty:
                quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\r":
                if pending == "\n" { continue }
                endRow(); line += 1; rowLine = line
            case "\n":
                endRow(); line += 1; rowLine = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw DataFileProblem(file: file, line: rowLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        guard let header = rows.first else { throw DataFileProblem(file: file, line: nil, message: "the file is empty; it needs a header 'text,category'") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let textColumn = names.firstIndex(of: "text"), let labelColumn = names.firstIndex(of: "category") else {
            throw DataFileProblem(file: file, line: 1, message: "the header must name the columns 'text' and 'category'")
        }
        var examples: [LabelledText] = []
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                throw DataFileProblem(file: file, line: row.line, message: "this row has \(counted(row.fields.count, "field")); the header has \(counted(names.count, "column"))")
            }
            let label = row.fields[labelColumn].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { throw DataFileProblem(file: file, line: row.line, message: "this row has no category") }
            examples.append(LabelledText(text: row.fields[textColumn], label: label))
        }
        guard !examples.isEmpty else { throw DataFileProblem(file: file, line: nil, message: "the file has a header but no rows") }
        return examples
    }

    public static func load(_ path: String) throws(DataFileProblem) -> [LabelledText] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileProblem(file: path, line: nil, message: "cannot be read (missing, or no permission)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileProblem(file: path, line: nil, message: "is not UTF-8 text")
        }
        return try parse(text, file: path)
    }
}

extension Array where Element == LabelledText {
    /// The examples as intents, one per label, in order of first appearance.
    public var intents: [Intent] {
        var order: [String] = []
        var examples: [String: [String]] = [:]
        for example in self {
            if examples[example.label] == nil { order.append(example.label) }
            examples[example.label, default: []].append(example.text)
        }
        return order.map { Intent(name: $0, examples: examples[$0] ?? [], responses: []) }
    }
}
