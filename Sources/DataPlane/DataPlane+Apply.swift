package import ControlPlane
import Logging
import NIOCore
import Synchronization

extension DataPlane {
    /// Applies `snapshot` unless a snapshot of the same or a newer revision was applied already.
    ///
    /// Listeners that disappeared (or moved to another address or port) stop accepting and drain. New listeners
    /// are bound (or claim their reservation). Changed ones get a new ``CompiledListener`` (a new `NIOSSLContext`
    /// when the TLS settings changed), built here off the event loops and published in one step; open
    /// connections are not touched. A listener whose new TLS material or policy cannot be used keeps its
    /// previous configuration, and the reason is logged. Never throws: per-listener failures are logged.
    package func apply(_ snapshot: ConfigurationSnapshot) async {
        await self.serial.run {
            let current = self.state.withLock { $0.isShutDown ? Int64.max : $0.revision }
            if let current, snapshot.revision <= current {
                self.logger.debug(
                    "Snapshot ignored: not newer",
                    metadata: ["snapshot.revision": "\(snapshot.revision)"]
                )
                return
            }
            var wanted: [String: ListenerSnapshot] = [:]
            for listener in snapshot.listeners where wanted[listener.id] == nil { wanted[listener.id] = listener }

            let stopping = self.state.withLock { state in
                let gone = state.listeners.filter { id, bound in
                    guard let next = wanted[id] else { return bound.claimed }
                    return next.address != bound.handle.address || next.port != bound.handle.port
                }
                for id in gone.keys {
                    state.listeners[id] = nil
                    state.healthPlans[id] = nil
                }
                return Array(gone.values)
            }
            for bound in stopping { await self.stop(bound) }
            for listener in snapshot.listeners where wanted[listener.id] == listener {
                await self.configure(listener, revision: snapshot.revision)
            }
            let plans = self.state.withLock { state in
                state.revision = snapshot.revision
                return Array(state.healthPlans.values)
            }
            self.healthPlanUpdates.yield(plans)
        }
    }

    /// Binds or claims one listener's socket and publishes its new configuration.
    private func configure(_ listener: ListenerSnapshot, revision: Int64) async {
        var logger = self.logger
        logger[metadataKey: "listener.id"] = "\(listener.id)"
        var bound = self.state.withLock { state -> BoundListener? in
            state.listeners[listener.id]?.claimed = true
            return state.listeners[listener.id]
        }
        if bound == nil {
            let handle = ListenerHandle(
                id: listener.id,
                address: listener.address,
                port: listener.port,
                logger: self.logger
            )
            do {
                let channel = try await self.bind(handle)
                let claimed = BoundListener(handle: handle, channel: channel, claimed: true)
                self.state.withLock { $0.listeners[listener.id] = claimed }
                bound = claimed
            } catch {
                logger.error(
                    "Listener could not bind",
                    metadata: ["listener.address": "\(error.address):\(error.port)", "error": "\(error.reason)"]
                )
                return
            }
        }
        guard let handle = bound?.handle else { return }
        let previous = handle.current
        guard previous?.snapshot != listener else { return }
        let compiled: CompiledListener
        do {
            compiled = try CompiledListener.compile(listener, previous: previous, logger: logger)
        } catch {
            logger.error(
                "Listener configuration refused; keeping the previous one",
                metadata: ["error": "\(error)", "snapshot.revision": "\(revision)"]
            )
            return
        }
        let plan = handle.publish(compiled)
        self.state.withLock { state in
            if listener.healthCheck == nil {
                state.healthPlans[listener.id] = nil
            } else if let plan {
                state.healthPlans[listener.id] = plan
            }
        }
        logger.info(
            previous == nil ? "Listener started" : "Listener updated",
            metadata: [
                "listener.address": "\(listener.address):\(listener.port)",
                "listener.protocol": "\(listener.protocol.rawValue)",
                "snapshot.revision": "\(revision)", "certificate.id": "\(listener.tls?.defaultCertificate.id ?? "-")",
            ]
        )
        if listener.tls?.enableHTTP2 == true {
            logger.info("HTTP/2 is enabled on the listener but not served yet; ALPN offers http/1.1 only")
        }
    }

    /// Stops accepting on `bound` and drains its connections for up to the drain period (not awaited).
    func stop(_ bound: BoundListener) async {
        bound.handle.health.retire()
        try? await bound.channel.close()
        bound.handle.connections.beginDrain(gracePeriod: self.drainPeriod, on: bound.channel.eventLoop)
        bound.handle.pool.close()
        bound.handle.logger.info(
            "Listener stopped",
            metadata: ["connections.open": "\(bound.handle.connections.count)"]
        )
    }

    /// Stops every listener and waits until their connections drained (or the drain period passed).
    func shutDown() async {
        let all = await self.serial.run {
            self.state.withLock { state in
                state.isShutDown = true
                state.healthPlans = [:]
                defer { state.listeners = [:] }
                return Array(state.listeners.values)
            }
        }
        self.healthPlanUpdates.finish()
        for bound in all { await self.stop(bound) }
        for bound in all {
            await bound.handle.connections.waitUntilEmpty(
                timeout: .nanoseconds(self.drainPeriod.nanoseconds) + .seconds(1)
            )
        }
    }
}
