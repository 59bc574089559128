/// Why certificate or key input was refused, or what is wrong with it.
///
/// One case per rule. The API fronts map each case to their own wire code; `cert inspect` prints them all.
/// Cases are compared by value, so tests can expect a specific rule.
package enum CertificateError: Error, Hashable, Sendable {
    /// The input is empty or only white space.
    case emptyInput
    /// The input is larger than the configured limit.
    case inputTooLarge(bytes: Int, limit: Int)
    /// The input is not PEM: no `-----BEGIN ...-----` block, or text outside the blocks.
    case notPEM(reason: String)
    /// A PEM block's body is not valid base64 (spaces, stray characters, bad padding).
    case badBase64(label: String)
    /// A `BEGIN` line has no matching `END` line, or the labels differ.
    case truncated(label: String)
    /// A blank line inside a PEM block or between the certificates of a chain (seed 000 / CLB format rules).
    case blankLinesInChain(line: Int)
    /// A `BEGIN DH PARAMETERS` block is present (seed 002: HTTPS listeners use ECDHE only).
    case dhParametersPresent
    /// The private key is encrypted (`ENCRYPTED PRIVATE KEY` or `Proc-Type: 4,ENCRYPTED`); only plain keys are accepted.
    case encryptedPrivateKey
    /// The certificate input holds no certificate.
    case noCertificate
    /// A block of a kind that does not belong in this input (a key among certificates, a CSR, ...).
    case unexpectedBlock(label: String)
    /// The DER inside a `CERTIFICATE` block is not an X.509 certificate.
    case malformedCertificate(position: Int, reason: String)
    /// The private key input holds no private key, or more than one.
    case noPrivateKey
    /// The DER inside a key block is not a private key this product understands.
    case malformedPrivateKey(reason: String)
    /// The private key does not belong to the leaf certificate (the first in the chain).
    case keyDoesNotMatchLeaf
    /// Certificate `position` (0 = leaf) is not issued by the certificate after it.
    case chainMisordered(position: Int)
    /// The chain holds more certificates than the limit.
    case tooManyCertificates(count: Int, limit: Int)
    /// The leaf's key algorithm or size is not allowed by the policy in force.
    case keyNotAllowed(KeyKind)
    /// The certificate at `position` has expired. A fact, reported; the caller decides whether to refuse.
    case expired(position: Int)
    /// The certificate at `position` is not valid yet. A fact, reported; the caller decides whether to refuse.
    case notYetValid(position: Int)
}

extension CertificateError {
    /// Whether the rule is a fact about validity (expiry) rather than a defect of the input.
    package var isValidityNotice: Bool {
        switch self {
        case .expired, .notYetValid: true
        default: false
        }
    }
}

extension CertificateError: CustomStringConvertible {
    /// A sentence for people: CLI output and API messages.
    package var description: String {
        switch self {
        case .emptyInput: "The input is empty."
        case .inputTooLarge(let bytes, let limit): "The input is \(bytes) bytes; the limit is \(limit)."
        case .notPEM(let reason): "The input is not in PEM format: \(reason)."
        case .badBase64(let label): "The \(label) block is not valid base64."
        case .truncated(let label): "The \(label) block has no matching END line."
        case .blankLinesInChain(let line): "Blank lines are not allowed in the content (line \(line))."
        case .dhParametersPresent: "PEM input with BEGIN DH PARAMETERS is not supported."
        case .encryptedPrivateKey: "The private key is encrypted; upload the decrypted key."
        case .noCertificate: "The input holds no certificate."
        case .unexpectedBlock(let label): "A \(label) block does not belong in this input."
        case .malformedCertificate(let position, let reason):
            "Certificate \(position + 1) is not a valid X.509 certificate (\(reason))."
        case .noPrivateKey: "Exactly one private key is required."
        case .malformedPrivateKey(let reason): "The private key cannot be read (\(reason))."
        case .keyDoesNotMatchLeaf: "The private key does not match the certificate."
        case .chainMisordered(let position):
            "Certificate \(position + 1) is not issued by certificate \(position + 2): put the leaf first, then its issuers in order."
        case .tooManyCertificates(let count, let limit): "The chain has \(count) certificates; at most \(limit) are allowed."
        case .keyNotAllowed(let kind): "The key type \(kind) is not allowed here."
        case .expired(let position): "Certificate \(position + 1) has expired."
        case .notYetValid(let position): "Certificate \(position + 1) is not valid yet."
        }
    }
}

extension CertificateError {
    /// A stable machine-readable name for the rule, e.g. `keyDoesNotMatchLeaf` (used by `cert inspect --json`).
    package var code: String {
        switch self {
        case .emptyInput: "emptyInput"
        case .inputTooLarge: "inputTooLarge"
        case .notPEM: "notPEM"
        case .badBase64: "badBase64"
        case .truncated: "truncated"
        case .blankLinesInChain: "blankLinesInChain"
        case .dhParametersPresent: "dhParametersPresent"
        case .encryptedPrivateKey: "encryptedPrivateKey"
        case .noCertificate: "noCertificate"
        case .unexpectedBlock: "unexpectedBlock"
        case .malformedCertificate: "malformedCertificate"
        case .noPrivateKey: "noPrivateKey"
        case .malformedPrivateKey: "malformedPrivateKey"
        case .keyDoesNotMatchLeaf: "keyDoesNotMatchLeaf"
        case .chainMisordered: "chainMisordered"
        case .tooManyCertificates: "tooManyCertificates"
        case .keyNotAllowed: "keyNotAllowed"
        case .expired: "expired"
        case .notYetValid: "notYetValid"
        }
    }
}
