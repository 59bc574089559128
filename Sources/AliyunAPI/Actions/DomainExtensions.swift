import ControlPlane

extension DomainExtension {
    var clbFields: [(String, JSON)] {
        [("DomainExtensionId", .string(self.id)), ("Domain", .string(self.domain)),
         ("ServerCertificateId", .string(self.serverCertificateID))]
    }
}

/// Adds an SNI certificate for one domain to an HTTPS listener (at most 3 per listener by default).
enum CreateDomainExtension: Action {
    static let name = "CreateDomainExtension"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        let created = try await context.domainExtensions.create(
            loadBalancerID: id, regionID: context.regionID, port: port, domain: try context.parameters.required("Domain"),
            certificateID: try context.parameters.required("ServerCertificateId"))
        return [("DomainExtensionId", .string(created.id)), ("ListenerPort", .number(Int64(port)))]
    }
}

enum DescribeDomainExtensions: Action {
    static let name = "DescribeDomainExtensions"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        let extensions = try await context.domainExtensions.list(
            loadBalancerID: id, regionID: context.regionID, port: port, id: context.parameters.optional("DomainExtensionId"))
        return [("DomainExtensions", .wrapped("DomainExtension", extensions.map { .object($0.clbFields) }))]
    }
}

enum DescribeDomainExtensionAttribute: Action {
    static let name = "DescribeDomainExtensionAttribute"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let found = try await context.domainExtensions.get(try context.parameters.required("DomainExtensionId"), regionID: context.regionID)
        return found.clbFields + [("LoadBalancerId", .string(found.loadBalancerID)), ("ListenerPort", .number(Int64(found.listenerPort)))]
    }
}

/// Replaces a domain extension's certificate; new handshakes use it at once.
enum SetDomainExtensionAttribute: Action {
    static let name = "SetDomainExtensionAttribute"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.domainExtensions.setCertificate(
            try context.parameters.required("DomainExtensionId"), regionID: context.regionID,
            certificateID: try context.parameters.required("ServerCertificateId"))
        return []
    }
}

enum DeleteDomainExtension: Action {
    static let name = "DeleteDomainExtension"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.domainExtensions.delete(try context.parameters.required("DomainExtensionId"), regionID: context.regionID)
        return []
    }
}
