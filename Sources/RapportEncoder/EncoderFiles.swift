#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the sentence encoder's two files are: `sp.model` (the tokenizer) and
/// `weights.npz` (the network), in one folder.
public struct EncoderFiles: Equatable, Sendable {
    public var directory: String
    public var tokenizer: String { directory + "/sp.model" }
    public var weights: String { directory + "/weights.npz" }

    public init(directory: String) {
        self.directory = directory
    }

    /// The folders searched, in order: `$RAPPORT_ENCODER`; the XDG data
    /// folder (`$XDG_DATA_HOME/rapport/encoder`, else
    /// `~/.local/share/rapport/encoder`); `.encoder/` in the working
    /// directory, then beside or above the executable (a checkout, where
    /// `.ci/setup` puts it).
    public static func candidates(environment: [String: String], executableDirectory: String?) -> [String] {
        var folders: [String] = []
        if let variable = environment["RAPPORT_ENCODER"], !variable.isEmpty { folders.append(variable) }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            folders.append(data + "/rapport/encoder")
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(home + "/.local/share/rapport/encoder")
        }
        folders.append(".encoder")
        if var folder = executableDirectory {
            for _ in 0..<6 {
                folders.append(folder + "/.encoder")
                guard let slash = folder.lastIndex(of: "/"), slash != folder.startIndex else { break }
                folder = String(folder[..<slash])
            }
        }
        return folders
    }

    /// The first candidate folder that holds both files, or nil.
    /// `$RAPPORT_ENCODER` set to a folder without them is still returned, so
    /// loading says what is missing there instead of quietly looking elsewhere.
    public static func locate(environment: [String: String], executableDirectory: String?) -> EncoderFiles? {
        if let variable = environment["RAPPORT_ENCODER"], !variable.isEmpty { return EncoderFiles(directory: variable) }
        for folder in candidates(environment: environment, executableDirectory: executableDirectory) {
            let files = EncoderFiles(directory: folder)
            if access(files.tokenizer, R_OK) == 0 && access(files.weights, R_OK) == 0 { return files }
        }
        return nil
    }
}
