@testable import TenshLanguage
import XCTest

/// "did you mean": the banded distance agrees with the full one wherever it
/// answers, and huge names are compared in bounded work.
final class SuggestionsTests: XCTestCase {
    /// The textbook dynamic programme over the whole table.
    func fullDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var next = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                next[j] = min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            row = next
        }
        return a.isEmpty ? b.count : row[b.count]
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
