import Foundation
import RapportCore
import Testing
@testable import RapportModelCache

@Suite("The model cache: trained once, read back after")
struct ModelCacheTests {
    static let set = TrainingSet(intents: [
        Intent(name: "order_status", examples: ["where is my order", "track my parcel", "has my order shipped"], responses: []),
        Intent(name: "delivery_costs", examples: ["how much is delivery", "is shipping free", "delivery charges"], responses: []),
        Intent(name: "greet", examples: ["hi", "hello", "good morning"], responses: []),
    ])
    static let messages = ["where's my parcel?", "shipping cost", "hello there", "qwerty"]

    /// A folder of its own, removed when the test is done.
    final class Folder {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-models-\(UUID().uuidString)").path
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func theFirstStartTrainsAndSavesAndTheNextReadsItBack() throws {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path + "/models")
        let (trained, first) = cache.classifier(for: Self.set)
        #expect(first == .trained(problem: nil, path: cache.path(for: Self.set.key), saveError: nil))
        #expect(FileManager.default.fileExists(atPath: cache.path(for: Self.set.key)))
        let (loaded, second) = cache.classifier(for: Self.set)
        #expect(second == .loaded(path: cache.path(for: Self.set.key)))
        for message in Self.messages { #expect(loaded.rank(message) == trained.rank(message)) }
        // Nothing half-written is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.directory) == ["\(Self.set.key).model"])
    }

    @Test func aChangedBotIsTrainedAgainUnderItsOwnKey() {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        _ = cache.classifier(for: Self.set)
        var intents = Self.set.intents
        intents[2].examples.append("hey")
        let changed = TrainingSet(intents: intents)
        let (classifier, outcome) = cache.classifier(for: changed)
        #expect(outcome == .trained(problem: nil, path: cache.path(for: changed.key), saveError: nil))
        #expect(classifier.rank("hey").first?.intent == "greet")
    }

    enum Damage: String, CaseIterable, Sendable {
        case cutShort, empty, anotherProgramsFile, flippedByte

        func apply(to bytes: [UInt8]) -> [UInt8] {
            switch self {
            case .cutShort: return Array(bytes.prefix(bytes.count / 2))
            case .empty: return []
            case .anotherProgramsFile: return Array("SQLite format 3\0 and more".utf8)
            case .flippedByte:
                var bytes = bytes
                bytes[bytes.count - 3] ^= 0x40
                return bytes
            }
        }
    }

    @Test("a damaged file is trained again and replaced", arguments: Damage.allCases)
    func damaged(_ damage: Damage) throws {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        let (trained, _) = cache.classifier(for: Self.set)
        let path = cache.path(for: Self.set.key)
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try Data(damage.apply(to: good)).write(to: URL(fileURLWithPath: path))

        let (classifier, outcome) = cache.classifier(for: Self.set)
        guard case .trained(let problem?, _, nil) = outcome else {
            Issue.record("expected a retraining that names the problem, got \(outcome)")
            return
        }
        #expect(!problem.isEmpty)
        for message in Self.messages { #expect(classifier.rank(message) == trained.rank(message)) }
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == good)
        #expect(cache.classifier(for: Self.set).1 == .loaded(path: path))
    }

    @Test func anUnwritableFolderStillGivesAModel() throws {
        let folder = Folder()
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let blocker = folder.path + "/models"
        try Data("a file where the folder should be".utf8).write(to: URL(fileURLWithPath: blocker))
        let cache = ModelCache(directory: blocker)
        let (classifier, outcome) = cache.classifier(for: Self.set)
        guard case .trained(nil, _, let saveError?) = outcome else {
            Issue.record("expected a model trained but not saved, got \(outcome)")
            return
        }
        #expect(saveError.contains(blocker))
        #expect(classifier.rank("where is my order").first?.intent == "order_status")
    }

    @Test func startsAtOnceShareOneWholeFile() async throws {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        let outcomes = await withTaskGroup(of: ModelCache.Outcome.self) { group in
            for _ in 0..<4 { group.addTask { cache.classifier(for: Self.set).1 } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 4)
        for outcome in outcomes {
            if case .trained(let problem, _, let saveError) = outcome {
                #expect(problem == nil)
                #expect(saveError == nil)
            }
        }
        #expect(cache.classifier(for: Self.set).1 == .loaded(path: cache.path(for: Self.set.key)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1)
    }

    @Test func onlyTheMostRecentlyUsedModelsAreKept() throws {
        let folder = Folder()
        var cache = ModelCache(directory: folder.path)
        cache.keep = 2
        let sets = (0..<4).map { index in
            var intents = Self.set.intents
            intents[0].examples.append("example \(index)")
            return TrainingSet(intents: intents)
        }
        for set in sets { _ = cache.classifier(for: set) }
        let kept = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(kept == ["\(sets[2].key).model", "\(sets[3].key).model"])
    }
}
