import ControlPlane
import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension DataPlane {
    /// Binds `address:port` for a listener about to start, so a bind failure surfaces to the caller.
    ///
    /// The socket is kept; its connections are closed until a snapshot naming `listenerID` is applied, and it is
    /// released if none does within the reservation timeout (60 s). Reserving an already bound listener at the
    /// same address is a no-op.
    ///
    /// - Throws: ``ListenerBindError`` with the system's reason, e.g. "Address already in use (errno: 98)".
    package func reserve(listenerID: String, address: String, port: Int) async throws {
        try await self.serial.run {
            guard !self.state.withLock({ $0.isShutDown }) else {
                throw ListenerBindError(address: address, port: port, reason: "The data plane is shutting down")
            }
            if let existing = self.state.withLock({ $0.listeners[listenerID] }) {
                if existing.handle.address == address && existing.handle.port == port { return }
                self.state.withLock { $0.listeners[listenerID] = nil }
                await self.stop(existing)
            }
            let handle = ListenerHandle(id: listenerID, address: address, port: port, logger: self.logger)
            let channel = try await self.bind(handle)
            self.state.withLock {
                $0.listeners[listenerID] = BoundListener(handle: handle, channel: channel, claimed: false)
            }
            handle.logger.info("Listener reserved", metadata: ["listener.address": "\(address):\(port)"])
            channel.eventLoop.scheduleTask(in: self.reservationTimeout) {
                self.releaseUnclaimed(listenerID, channel: channel)
            }
        }
    }

    /// Binds a listener socket whose connections get ``ListenerPipeline``.
    func bind(_ handle: ListenerHandle) async throws(ListenerBindError) -> any Channel {
        do {
            return try await ServerBootstrap(group: self.eventLoopGroup)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 256)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try ListenerPipeline.configure(channel, handle: handle)
                    }
                }
                .bind(host: handle.address, port: handle.port)
                .get()
        } catch {
            throw ListenerBindError(address: handle.address, port: handle.port, reason: Self.describe(error))
        }
    }

    private func releaseUnclaimed(_ listenerID: String, channel: any Channel) {
        let expired = self.state.withLock { state -> BoundListener? in
            guard let bound = state.listeners[listenerID], bound.channel === channel, !bound.claimed else { return nil }
            state.listeners[listenerID] = nil
            return bound
        }
        guard let expired else { return }
        expired.channel.close(promise: nil)
        expired.handle.logger.info("Reservation released: no snapshot named the listener")
    }

    /// "Address already in use (errno: 98)" for system errors, the error's description otherwise.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? IOError {
            return "\(String(cString: strerror(error.errnoCode))) (errno: \(error.errnoCode))"
        }
        return "\(error)"
    }
}
