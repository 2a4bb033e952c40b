import Foundation
import RapportCore
import Testing
@testable import RapportModelCache
#if canImport(Glibc)
import Glibc
#endif

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

    /// What could block or exhaust a start, or be a forged model, is not read
    /// at all: found in review (a pipe hung serve, a 200 GB sparse file
    /// aborted it, and a self-consistent forgery passes every content check).
    enum Hazard: String, CaseIterable, Sendable {
        case pipe, folder, huge, writableByOthers, ownedByAnotherUser
    }

    @Test("a file that is no trustworthy model is not read, and is replaced", arguments: Hazard.allCases)
    func hazards(_ hazard: Hazard) throws {
        let folder = Folder()
        let cache = ModelCache(directory: folder.path)
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let path = cache.path(for: Self.set.key)
        switch hazard {
        case .pipe: #expect(mkfifo(path, 0o644) == 0)
        case .folder: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        case .huge:
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(truncate(path, off_t(ModelCache.largestModel) + 1) == 0)
        case .writableByOthers, .ownedByAnotherUser:
            _ = cache.classifier(for: Self.set)
            if hazard == .writableByOthers {
                #expect(chmod(path, 0o666) == 0)
            } else if geteuid() == 0 {
                #expect(chown(path, 65_534, 65_534) == 0)
            } else {
                return // only root can give a file away
            }
        }
        let expected: ModelCache.Unusable = switch hazard {
        case .pipe, .folder: .notAFile
        case .huge: .tooLarge(bytes: ModelCache.largestModel + 1)
        case .writableByOthers: .untrusted("others may write it")
        case .ownedByAnotherUser: .untrusted("owned by another user")
        }
        #expect(cache.load(Self.set).flatMap { result in
            if case .failure(let reason) = result { return reason } else { return nil }
        } == expected)
        let (classifier, outcome) = cache.classifier(for: Self.set)
        #expect(classifier.rank("where is my order").first?.intent == "order_status")
        if hazard == .folder {
            // A folder in the way is left alone: the model is used, not saved.
            guard case .trained(_, _, .some) = outcome else { Issue.record("expected a save error, got \(outcome)"); return }
        } else {
            #expect(outcome == .trained(problem: expected.description, path: path, saveError: nil))
            #expect(cache.classifier(for: Self.set).1 == .loaded(path: path))
        }
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
