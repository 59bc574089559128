/// A first-come-first-served async mutex.
///
/// The embedded store has one SQLite connection; a transaction on it must not interleave with another task's
/// statements, so every SQLite operation holds this lock. PostgreSQL leases a connection instead.
actor AsyncLock {
    private var isLocked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await self.lock()
        do {
            let result = try await body()
            self.unlock()
            return result
        } catch {
            self.unlock()
            throw error
        }
    }

    private func lock() async {
        guard self.isLocked else {
            self.isLocked = true
            return
        }
        await withCheckedContinuation { self.waiters.append($0) }
    }

    private func unlock() {
        if self.waiters.isEmpty {
            self.isLocked = false
        } else {
            self.waiters.removeFirst().resume()
        }
    }
}
