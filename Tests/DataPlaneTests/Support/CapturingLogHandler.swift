import Logging
import Synchronization

/// Collects every log entry (message and metadata, rendered) in memory, for tests that inspect logs.
struct CapturingLogHandler: LogHandler {
    final class Store: Sendable {
        private let entries = Mutex<[String]>([])

        var all: [String] { self.entries.withLock { $0 } }

        func append(_ entry: String) {
            self.entries.withLock { $0.append(entry) }
        }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let metadata = self.metadata.merging(event.metadata ?? [:]) { $1 }
        self.store.append("\(event.level) \(event.message) \(metadata)")
    }
}
