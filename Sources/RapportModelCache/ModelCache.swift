import Foundation
import RapportCore
import RapportEncoder
#if canImport(Glibc)
import Glibc
#endif

/// Trained models kept on disk, so a bot is trained once and every later
/// start reads its model back in milliseconds: one file per training set,
/// `<key>.model` (`ClassifierArchive`), in a folder of their own.
///
/// Files are written beside their final name and renamed into place, so a
/// reader sees a whole model or none, and two processes that train the same
/// bot at once each write a whole file and the last rename wins. A file that
/// cannot be used (cut short, damaged, another format, altered) is never
/// trusted: the model is trained again and the file replaced. When the
/// folder cannot be written the model is trained and used all the same.
public struct ModelCache: Sendable {
    public let directory: String
    /// How many model files are kept; the least recently used go first.
    public var keep = 8
    /// How many of the sentence encoder's vectors of examples are kept (`VectorCache.swift`).
    public var vectorLimit = ModelCache.largestVectorFile

    public init(directory: String) {
        self.directory = directory
    }

    /// Where the model for `key` is kept.
    public func path(for key: ModelKey) -> String {
        (directory as NSString).appendingPathComponent("\(key).model")
    }

    /// How the classifier for a training set was had.
    public enum Outcome: Sendable, Equatable {
        /// Read back from its file.
        case loaded(path: String)
        /// Trained, because no usable file was there (`problem` says why one
        /// that was there was not used), then saved, or not (`saveError`).
        case trained(problem: String?, path: String, saveError: String?)
    }

    /// The classifier for `set`: read back when a usable file has it (unless
    /// `force`), else trained and saved for next time. `willTrain` is told
    /// just before training, so a front end can say why the start takes longer.
    public func classifier(for set: TrainingSet, force: Bool = false, willTrain: () -> Void = {}) -> (LinearIntentClassifier, Outcome) {
        let path = path(for: set.key)
        var problem: String?
        switch force ? nil : load(set) {
        case .success(let classifier)?:
            touch(path)
            return (classifier, .loaded(path: path))
        case .failure(let reason)?:
            problem = reason.description
        case nil:
            break
        }
        willTrain()
        let classifier = set.train(exampleVectors: set.embedder.map { vectors(of: set.readingForms.flatMap(\.examples), with: $0) })
        var saveError: String?
        do {
            try save(classifier, trainedOn: set)
        } catch {
            saveError = error.description
        }
        return (classifier, .trained(problem: problem, path: path, saveError: saveError))
    }

    /// The saved model for `set`, nil when there is none, or why the file there cannot be used.
    public func load(_ set: TrainingSet) -> Result<LinearIntentClassifier, Unusable>? {
        switch Self.contents(of: path(for: set.key)) {
        case nil: return nil
        case .failure(let reason)?: return .failure(reason)
        case .success(let bytes)?: return ClassifierArchive.decode(bytes, for: set).mapError(Unusable.archive)
        }
    }

    /// Why a model file was not used.
    public enum Unusable: Error, Hashable, Sendable, CustomStringConvertible {
        /// Its contents (`ClassifierArchive`'s checks).
        case archive(ArchiveProblem)
        /// A folder, a pipe or a device where a file should be.
        case notAFile
        /// Larger than any model rapport writes.
        case tooLarge(bytes: Int)
        /// Someone other than this user could have written it: a model
        /// decides every answer, so it is trusted like the program itself.
        case untrusted(String)
        case unreadable(String)

        public var description: String {
            switch self {
            case .archive(let problem): problem.description
            case .notAFile: "not a regular file"
            case .tooLarge(let bytes): "\(bytes) bytes, more than the \(ModelCache.largestModel) a model may have"
            case .untrusted(let why): "not trusted: \(why)"
            case .unreadable(let why): "cannot be read: \(why)"
            }
        }
    }

    /// No model rapport writes comes near this (the bundled bot's is 8 MB,
    /// BANKING77's 30 MB); a larger file is not read at all.
    public static let largestModel = 1 << 30

    /// A file's bytes, read straight into an array (a model is megabytes, read
    /// at every start); nil when there is no file. Only a regular file of a
    /// sane size, owned by this user and writable by no one else, is read: a
    /// pipe would block the start, a huge file exhaust memory, and a file
    /// others can write could be a forged model that passes every check.
    static func contents(of path: String) -> Result<[UInt8], Unusable>? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            return errno == ENOENT || errno == ENOTDIR ? nil : .failure(.unreadable(String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.notAFile) }
        // This user's own, or root's (a model deployed by `sudo rapport train`), as ssh trusts its files.
        guard status.st_uid == geteuid() || status.st_uid == 0 else { return .failure(.untrusted("owned by another user")) }
        guard status.st_mode & 0o022 == 0 else { return .failure(.untrusted("others may write it")) }
        guard status.st_size <= largestModel else { return .failure(.tooLarge(bytes: Int(status.st_size))) }
        let size = Int(status.st_size)
        return .success([UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                let count = read(descriptor, buffer.baseAddress! + offset, size - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                offset += count
            }
            // A file that shrank while it was read is judged by what was read: the checks catch it.
            initialized = offset
        })
    }

    /// Writes the model for `set` to a file of its own, synced, then renames
    /// it into place; then drops the least recently used models beyond `keep`.
    public func save(_ classifier: LinearIntentClassifier, trainedOn set: TrainingSet) throws(CacheError) {
        let bytes = ClassifierArchive.encode(classifier, trainedOn: set)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CacheError(path: directory, reason: "cannot create the folder")
        }
        try writeAtomically(bytes, to: path(for: set.key))
        prune()
    }

    /// Writes `bytes` to a file of its own beside `final`, synced, then
    /// renames it into place: a reader sees the whole file or none.
    func writeAtomically(_ bytes: [UInt8], to final: String) throws(CacheError) {
        if let failure = RapportEncoder.writeAtomically(bytes, to: final, mode: 0o644) {
            throw CacheError(path: final, reason: failure)
        }
    }

    /// Marks a model as used now, so pruning keeps the ones in use.
    private func touch(_ path: String) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
    }

    /// Keeps the `keep` most recently used models; also removes partial
    /// files that a process killed while writing left behind (over an hour old).
    private func prune() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        let now = Date()
        var models: [(path: String, used: Date)] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let used = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { continue }
            if name.hasSuffix(".model") {
                models.append((path, used))
            } else if name.hasSuffix(".partial"), now.timeIntervalSince(used) > 3600 {
                try? manager.removeItem(atPath: path)
            }
        }
        for stale in models.sorted(by: { $0.used > $1.used }).dropFirst(keep) {
            try? manager.removeItem(atPath: stale.path)
        }
    }
}

/// A model could not be saved: rapport goes on with the model it trained.
public struct CacheError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): cannot save the trained model: \(reason)" }
}
