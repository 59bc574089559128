import ControlPlane
import DataPlane
import Testing

@Suite("SNI certificate selection")
struct SNISelectionTests {
    private static let domains: [(domain: String, entry: String)] = [
        ("*.test.com", "wild-test"),
        ("*.B.test.com", "wild-b"),
        ("exact.b.test.com", "exact"),
        ("*.deep.c.b.test.com.", "wild-deep"),
        ("*.other.org", "wild-other"),
    ]

    @Test(
        "Both modes: an exact domain wins, then a wildcard for the parent, else the default",
        arguments: SNIMatchAlgorithm.allCases
    )
    func commonRules(matching: SNIMatchAlgorithm) {
        let selector = SNICertificateSelector(Self.domains, matching: matching)
        #expect(selector.select("exact.b.test.com") == "exact")
        #expect(selector.select("a.b.test.com") == "wild-b")
        #expect(selector.select("a.test.com") == "wild-test")
        #expect(selector.select("x.deep.c.b.test.com") == "wild-deep")
        #expect(selector.select("test.com") == nil, "a wildcard needs at least one label in front")
        #expect(selector.select("com") == nil)
        #expect(selector.select("unrelated.example") == nil)
        #expect(selector.select("") == nil)
        #expect(selector.select(nil) == nil)
    }

    @Test(
        "Both modes: names compare case-insensitively and without trailing dots",
        arguments: SNIMatchAlgorithm.allCases
    )
    func normalization(matching: SNIMatchAlgorithm) {
        let selector = SNICertificateSelector(Self.domains, matching: matching)
        #expect(selector.select("EXACT.B.Test.COM.") == "exact")
        #expect(selector.select("A.b.TEST.com..") == "wild-b")
        #expect(selector.select("x.DEEP.c.b.test.com") == "wild-deep")
        #expect(selector.select(".test.com") == nil, "an empty first label matches nothing")
        #expect(selector.select("a..test.com") == nil)
    }

    @Test("wildcard: a wildcard covers exactly one label")
    func oneLabel() {
        let selector = SNICertificateSelector(Self.domains, matching: .wildcard)
        #expect(selector.select("x.a.b.test.com") == nil, "*.b.test.com does not reach two labels down")
        #expect(selector.select("x.y.test.com") == nil)
        #expect(selector.select("c.b.test.com") == "wild-b")
        #expect(selector.select("y.x.deep.c.b.test.com") == nil)
        #expect(selector.select("a.b.other.org") == nil)
    }

    @Test("longest_suffix: a wildcard covers several labels, and the longest matching suffix wins")
    func longestSuffix() {
        let selector = SNICertificateSelector(Self.domains, matching: .longestSuffix)
        #expect(selector.select("x.a.b.test.com") == "wild-b", "*.b.test.com beats *.test.com")
        #expect(selector.select("x.y.test.com") == "wild-test")
        #expect(selector.select("1.2.3.4.test.com") == "wild-test")
        #expect(selector.select("y.x.deep.c.b.test.com") == "wild-deep", "the deepest of three matching wildcards")
        #expect(selector.select("c.b.test.com") == "wild-b")
        #expect(selector.select("deep.c.b.test.com") == "wild-b", "*.deep.c.b.test.com needs a label before deep")
        #expect(selector.select("q.exact.b.test.com") == "wild-b", "an exact domain is not a wildcard")
        #expect(selector.select("a.b.other.org") == "wild-other")
        #expect(selector.select("a.b.other.net") == nil)
    }

    @Test("The first entry of a repeated domain wins; an empty list selects nothing")
    func repeatsAndEmpty() {
        let selector = SNICertificateSelector(
            [("a.test", "first"), ("A.TEST.", "second"), ("*.test", "wild-first"), ("*.Test", "wild-second")],
            matching: .longestSuffix
        )
        #expect(selector.select("a.test") == "first")
        #expect(selector.select("b.c.test") == "wild-first")
        #expect(!selector.isEmpty)
        let empty = SNICertificateSelector<String>([], matching: .longestSuffix)
        #expect(empty.isEmpty)
        #expect(empty.select("a.test") == nil)
    }
}
