package import Foundation

/// Everything wrong with a bundle, in rule order, plus the facts callers decide on.
package struct CertificateReport: Hashable, Sendable {
    /// Broken rules, in the order ``CertificateValidator`` checks them. Expiry notices are included; see
    /// ``CertificateError/isValidityNotice``.
    package var problems: [CertificateError]

    /// The first rule that refuses the upload, ignoring expiry notices.
    package var firstDefect: CertificateError? { self.problems.first { !$0.isValidityNotice } }
    /// Whether the leaf has expired.
    package var leafExpired: Bool { self.problems.contains(.expired(position: 0)) }
}

/// Checks a bundle against the rules that can all be reported at once.
///
/// Rules, in order: chain length; chain order (each certificate issued, and where possible signed, by the next);
/// private key matches the leaf; the leaf's key is allowed by the policy; validity dates of every certificate.
/// Pure and synchronous.
package struct CertificateValidator: Sendable {
    /// The longest chain accepted (Huawei: 11 levels).
    package var maximumChainLength: Int

    package init(maximumChainLength: Int = 11) {
        self.maximumChainLength = maximumChainLength
    }

    /// - Parameter now: The time expiry is judged against; tests pass a fixed date.
    package func check(_ bundle: CertificateBundle, policy: KeyPolicy, now: Date) -> CertificateReport {
        var problems: [CertificateError] = []
        if bundle.chain.count > self.maximumChainLength {
            problems.append(.tooManyCertificates(count: bundle.chain.count, limit: self.maximumChainLength))
        }
        for (position, pair) in zip(bundle.chain, bundle.chain.dropFirst()).enumerated()
        where !pair.0.isIssued(by: pair.1) {
            problems.append(.chainMisordered(position: position))
        }
        if let key = bundle.privateKey, key.publicKey != bundle.leaf.publicKey {
            problems.append(.keyDoesNotMatchLeaf)
        }
        if !policy.allows(bundle.leaf.info.key) {
            problems.append(.keyNotAllowed(bundle.leaf.info.key))
        }
        for (position, certificate) in bundle.chain.enumerated() {
            if now > certificate.info.notAfter { problems.append(.expired(position: position)) }
            if now < certificate.info.notBefore { problems.append(.notYetValid(position: position)) }
        }
        return CertificateReport(problems: problems)
    }
}
