package import Storage

/// The control plane as an API front uses it: the store, what the operator configured (limits, the load balancer
/// address pool) and this node's data plane, with one accessor per service. Both fronts hold one.
package struct Services: Sendable {
    package var store: Store
    package var certificateLimits = CertificateLimits()
    package var listenerLimits = ListenerLimits()
    /// The `--lb-address` pool.
    package var addresses = ["127.0.0.1"]
    /// This node's data plane, for starting listeners, reporting health and waiting for changes to be served.
    package var runtime: (any ListenerRuntime)?

    package init(store: Store) {
        self.store = store
    }

    package var certificates: CertificateService { CertificateService(store: self.store, limits: self.certificateLimits) }
    package var loadBalancers: LoadBalancerService { LoadBalancerService(store: self.store, addresses: self.addresses) }
    package var listeners: ListenerService { ListenerService(store: self.store, runtime: self.runtime, limits: self.listenerLimits) }
    package var domainExtensions: DomainExtensionService { DomainExtensionService(store: self.store, limits: self.listenerLimits) }
    package var serverGroups: ServerGroupService { ServerGroupService(store: self.store, runtime: self.runtime) }
    package var tlsPolicies: TLSPolicyService { TLSPolicyService(store: self.store) }
    package var regions: RegionService { RegionService(store: self.store) }
    package var tags: TagService { TagService(store: self.store) }
}
