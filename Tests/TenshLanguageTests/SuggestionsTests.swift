@testable import TenshLanguage
import XCTest

/// "did you mean": the banded distance agrees with the full one wherever it
/// answers, and huge names are compared in bounded work.
final class SuggestionsTests: XCTestCase {
    /// The textbook dynamic programme over the whole table (optimal string
    /// alignment: edits plus swaps of two neighbours).
    func fullDistance(_ a: [Character], _ b: [Character]) -> Int {
        var d = (0...a.count).map { i in (0...b.count).map { j in i == 0 ? j : (j == 0 ? i : 0) } }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    func testBandedDistanceAgreesWithTheFullTable() {
        var rng = SplitMix(seed: 7)
        let alphabet: [Character] = ["a", "b", "c"]
        for _ in 0..<3000 {
            let a = (0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % 3)] }
            let b = (0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % 3)] }
            let limit = Int(rng.next() % 5)
            let full = fullDistance(a, b)
            XCTAssertEqual(Suggestions.distance(a, b, atMost: limit), full <= limit ? full : nil, "\(a) \(b) limit \(limit)")
        }
        XCTAssertEqual(Suggestions.distance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestions.distance("", "abc"), 3)
        XCTAssertEqual(Suggestions.distance("zerso", "zeros"), 1, "a swap of neighbours is one edit")
    }

    func testHugeNamesAreComparedWithinTheBand() {
        let name = Array(String(repeating: "ab", count: 50_000))
        var typo = name
        typo[70_000] = "z"
        XCTAssertEqual(Suggestions.distance(name, typo, atMost: 3), 1)
        XCTAssertNil(Suggestions.distance(name, Array(String(repeating: "b", count: 100_000)), atMost: 3))
        XCTAssertNil(Suggestions.distance(name, Array("ab"), atMost: 3), "lengths too far apart: nothing is computed")
        XCTAssertEqual(Suggestions.nearest(to: String(typo), in: ["zeros", String(name), "sum"]), String(name))
        XCTAssertNil(Suggestions.nearest(to: String(typo), in: ["zeros", "sum"]))
    }

    func testTiesGoToTheFirstNameInOrder() {
        XCTAssertEqual(Suggestions.nearest(to: "sun", in: ["sum", "sin"]), "sin")
        XCTAssertEqual(Suggestions.nearest(to: "strid", in: ["padding", "stride"]), "stride")
    }
}
