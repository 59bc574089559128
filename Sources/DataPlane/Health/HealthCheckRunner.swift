import ControlPlane
import Logging
import NIOCore

/// Checks every backend of one ``HealthPlan`` each `intervalSeconds` until the plan is retired or the task is
/// cancelled. Runs as a child task of ``DataPlane/run()``.
struct HealthCheckRunner: Sendable {
    var plan: HealthPlan
    var group: any EventLoopGroup
    var logger: Logger

    func run() async {
        let interval = Duration.seconds(max(self.plan.check.intervalSeconds, 1))
        while !Task.isCancelled && self.plan.table.isCurrent(self.plan.generation) {
            await withTaskGroup(of: Void.self) { group in
                for target in self.plan.targets {
                    group.addTask { await self.check(target) }
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func check(_ target: HealthTarget) async {
        let passed = await HealthProbe.run(self.plan.check, target: target, group: self.group)
        guard
            let status = self.plan.table.record(
                serverID: target.serverID,
                success: passed,
                generation: self.plan.generation
            )
        else { return }
        self.logger.info(
            "Backend health changed",
            metadata: [
                "listener.id": "\(self.plan.listenerID)", "backend.server_id": "\(target.serverID)",
                "backend.address": "\(target.ip):\(target.port)", "backend.health": "\(status.rawValue)",
            ]
        )
    }
}
