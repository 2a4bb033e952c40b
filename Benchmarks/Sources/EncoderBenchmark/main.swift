import Dispatch
import Foundation
import RapportEncoder

// Encodes real customer messages one at a time, on one thread, as the engine
// encodes a message, and prints the load time and the distribution of the
// time per message. Figures vary from run to run on a shared machine:
// compare runs made one after the other.
let arguments = CommandLine.arguments.dropFirst()
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let root = here.appendingPathComponent("../../..").standardized.path
let directory = arguments.first ?? ProcessInfo.processInfo.environment["RAPPORT_ENCODER"] ?? root + "/.encoder"
let messagesPath = arguments.dropFirst().first ?? root + "/../shared/data/banking77/train.csv"

/// The first column of each CSV row after the header, quotes undone; at most `limit`.
func messages(in path: String, limit: Int) -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    var rows: [String] = []
    var field = "", inQuotes = false, column = 0, header = true
    var iterator = text.makeIterator()
    while let character = iterator.next(), rows.count < limit {
        if inQuotes {
            if character == "\"" { inQuotes = false } else { field.append(character) }
        } else if character == "\"" {
            inQuotes = true
        } else if character == "," {
            column += 1
        } else if character == "\n" || character == "\r\n" {
            if !header && !field.isEmpty { rows.append(field) }
            header = false
            field = ""
            column = 0
        } else if column == 0 {
            field.append(character)
        }
    }
    return rows
}

func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }

let loadStart = DispatchTime.now().uptimeNanoseconds
let encoder: SentenceEncoder
do {
    encoder = try SentenceEncoder(tokenizerPath: directory + "/sp.model", weightsPath: directory + "/weights.npz")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
let loaded = DispatchTime.now().uptimeNanoseconds - loadStart
let texts = messages(in: messagesPath, limit: 1000)
// Warm-up: the table's pages and OpenBLAS's buffers.
for text in texts.prefix(50) { _ = encoder.encode(text) }
/// The CPU time this thread has used: unlike the wall clock, it leaves out
/// the time the thread waited while other processes had the core.
func threadCPUNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
var times: [UInt64] = []
var cpuTimes: [UInt64] = []
for _ in 0..<3 {
    for text in texts {
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUNanoseconds()
        _ = encoder.encode(text)
        cpuTimes.append(threadCPUNanoseconds() - cpuStart)
        times.append(DispatchTime.now().uptimeNanoseconds - start)
    }
}
times.sort()
cpuTimes.sort()
func percentile(_ p: Double, of times: [UInt64]) -> Double { milliseconds(times[min(times.count - 1, Int(Double(times.count) * p))]) }
let words = texts.map { $0.split(separator: " ").count }.sorted()
print("encoder: \(directory)")
print("messages: \(texts.count) from \(messagesPath), median \(words[words.count / 2]) words; each encoded 3 times")
print(String(format: "load: %.0f ms", milliseconds(loaded)))
print(String(format: "encode one message: median %.3f ms, 90th percentile %.3f ms, 99th %.3f ms", percentile(0.5, of: times), percentile(0.9, of: times), percentile(0.99, of: times)))
print(String(format: "CPU time of the encoding thread: median %.3f ms, 90th percentile %.3f ms, 99th %.3f ms", percentile(0.5, of: cpuTimes), percentile(0.9, of: cpuTimes), percentile(0.99, of: cpuTimes)))
