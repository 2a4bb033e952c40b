import Foundation
import RapportCore

/// Reads the bot's data tables: `intents/data/NAME.csv`, a header row of
/// column names, then one row per record, keyed by the first column.
/// Fields may be quoted ("a, b"), with "" for a quote inside.
enum DataTableLoader {
    static let folder = "data"

    /// Every `.csv` file in `directory/data`, or nothing when there is no such folder.
    static func load(directory: String) -> (tables: [DataTable], problems: [LoadProblem]) {
        let folder = (directory as NSString).appendingPathComponent(Self.folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return ([], []) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
        var tables: [DataTable] = []
        var problems: [LoadProblem] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                problems.append(LoadProblem(file: path, message: "cannot be read as UTF-8 text"))
                continue
            }
            switch parse(text, name: (name as NSString).deletingPathExtension, file: path) {
            case .success(let table): tables.append(table)
            case .failure(let failure): problems += failure.problems
            }
        }
        return (tables, problems)
    }

    static func parse(_ text: String, name: String, file: String) -> Result<DataTable, BotLoadFailure> {
        var problems: [LoadProblem] = []
        func problem(_ line: Int, _ message: String) {
            problems.append(LoadProblem(file: file, line: line, message: message))
        }
        if !BotLoader.isIdentifier(name) {
            problems.append(LoadProblem(file: file, message: "'\(name)' is not a table name; name the file like orders.csv (lower-case letters, digits and '_')"))
        }
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1
        var characters = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))[...]
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append((recordLine, fields)) }
            fields = []
            field = ""
            wasQuoted = false
        }
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
                wasQuoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else if character == "\n" {
                endRecord()
                line += 1
                recordLine = line
            } else {
                field.append(character)
            }
        }
        if quoted { problem(recordLine, "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let header = records.first else {
            problem(1, "the file is empty; it needs a header row naming the columns, the key first")
            return .failure(BotLoadFailure(problems))
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        for column in columns where !BotLoader.isIdentifier(column) {
            problem(header.line, "'\(column)' is not a column name; use lower-case letters, digits and '_', like order_number")
        }
        if Set(columns).count != columns.count { problem(header.line, "a column name appears twice in the header") }
        // A late form ("detail_late") words its column for a record past its due day: it needs both.
        for column in columns where column.hasSuffix(DataTable.lateSuffix) {
            let plain = String(column.dropLast(DataTable.lateSuffix.count))
            if !columns.contains(plain) {
                problem(header.line, "'\(column)' is the late form of a column '\(plain)', which the header does not have")
            } else if !columns.contains(DataTable.dueColumn) {
                problem(header.line, "'\(column)' is said only for a record past its due day, but the header has no '\(DataTable.dueColumn)' column")
            }
        }
        var seen: [String: Int] = [:]
        var rows: [[String]] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                problem(record.line, "this row has \(counted(record.fields.count, "field")); the header has \(counted(columns.count, "column"))")
                continue
            }
            let key = record.fields[0].trimmingCharacters(in: .whitespaces)
            if key.isEmpty { problem(record.line, "this row has no key (its first field is empty)"); continue }
            // Compared as the table compares them, so no row hides another.
            if let first = seen[DataTable.key(key)] {
                problem(record.line, "the key '\(key)' is already the key of line \(first)")
                continue
            }
            seen[DataTable.key(key)] = record.line
            rows.append(record.fields)
        }
        guard problems.isEmpty else { return .failure(BotLoadFailure(problems)) }
        return .success(DataTable(name: name, columns: columns, rows: rows))
    }
}
