import Foundation
import PostgresNIO
import RapportStore

/// A PostgreSQL address as users write it: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`
/// (`postgresql://` too), with `?sslmode=disable`, `prefer` (the default, as
/// libpq's) or `require`. Percent-escapes are decoded in the user, password
/// and database names.
public struct DatabaseURL: Hashable, Sendable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public enum TLSMode: String, Hashable, Sendable { case disable, prefer, require }
    public var tls: TLSMode

    /// Whether `text` is meant as a PostgreSQL address rather than a SQLite file's path.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws(StoreError) {
        func refuse(_ why: String) -> StoreError {
            .cannotOpen(path: Self.redact(text), reason: "\(why); write it as postgres://user@host:5432/database")
        }
        guard Self.isPostgres(text), let components = URLComponents(string: text) else { throw refuse("not a PostgreSQL address") }
        guard let host = components.host, !host.isEmpty else { throw refuse("no host") }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else { throw refuse("no user") }
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw refuse("no database name after the host") }
        self.user = user
        password = components.password.flatMap { $0.removingPercentEncoding }
        self.host = host
        port = components.port ?? 5432
        self.database = database
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw refuse("sslmode must be disable, prefer or require, not '\(item.value ?? "")'")
                }
                tls = mode
            default:
                throw refuse("unknown setting '\(item.name)'")
            }
        }
        self.tls = tls
    }

    /// The address without its password, for messages and logs.
    public var redacted: String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    static func redact(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "the database address" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "the database address"
    }

    var configuration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch self.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

extension DatabaseURL {
    /// The same server and user, another database.
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The address as text, password included: what `PostgresConversationStore(url:)` reads.
    public var text: String {
        let credentials = password.map { "\(Self.escaped(user)):\(Self.escaped($0))" } ?? Self.escaped(user)
        return "postgres://\(credentials)@\(host):\(port)/\(Self.escaped(database))?sslmode=\(tls.rawValue)"
    }

    private static func escaped(_ part: String) -> String {
        part.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? part
    }

    /// Runs one statement outside a transaction on this database, as
    /// `CREATE DATABASE` needs: for tests and the multi-host proof, which make
    /// a database of their own on a server.
    public func execute(_ statement: String) async throws {
        let tls: PostgresConnection.Configuration.TLS = switch self.tls {
        case .disable: .disable
        case .prefer: .prefer(try .init(configuration: .makeClientConfiguration()))
        case .require: .require(try .init(configuration: .makeClientConfiguration()))
        }
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: host, port: port, username: user, password: password, database: database, tls: tls),
            id: 1, logger: Logger(label: "rapport.postgres.admin"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "rapport.postgres.admin"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
