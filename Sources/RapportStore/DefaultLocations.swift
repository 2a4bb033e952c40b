/// Where rapport keeps per-user files when not told otherwise, following the
/// XDG Base Directory specification. Pure: the environment comes in as a value.
public struct DefaultLocations: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// `$XDG_DATA_HOME/rapport/rapport.sqlite`, else `~/.local/share/rapport/rapport.sqlite`.
    public var database: String? {
        directory("XDG_DATA_HOME", fallback: ".local/share").map { $0 + "/rapport/rapport.sqlite" }
    }

    /// `$XDG_STATE_HOME/rapport/history`, else `~/.local/state/rapport/history`.
    public var history: String? {
        directory("XDG_STATE_HOME", fallback: ".local/state").map { $0 + "/rapport/history" }
    }

    /// `$XDG_CACHE_HOME/rapport/models`, else `~/.cache/rapport/models`: trained
    /// models, which rapport can always make again.
    public var models: String? {
        directory("XDG_CACHE_HOME", fallback: ".cache").map { $0 + "/rapport/models" }
    }

    /// The XDG variable when it holds an absolute path (the spec says to ignore
    /// relative ones), else the fallback under `$HOME`.
    private func directory(_ variable: String, fallback: String) -> String? {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/" + fallback
    }
}
