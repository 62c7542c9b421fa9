import Foundation
import TenshEngine
import TenshLanguage
@testable import TenshWorkbench
import XCTest

/// `stats` and the Grad-CAM example against PyTorch: Fixtures/*.json written by
/// scripts/fixtures/stats.py and scripts/fixtures/gradcam.py.
final class InsightFixtureTests: ScratchDirectoryTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let projectRoot = folder.deletingLastPathComponent().deletingLastPathComponent()

    struct StatsFixture: Decodable {
        struct Case: Decodable {
            let name: String
            let source: String
            let nodes: [String: Row]
        }
        struct Row: Decodable {
            let shape: [Int]
            let mean, std, min, max: Number
            let gradNorm, ratio: Number?
            let dead: Number?
            let nan, inf: Int
            let origin: Bool
            enum CodingKeys: String, CodingKey {
                case shape, mean, std, min, max, ratio, dead, nan, inf, origin
                case gradNorm = "grad_norm"
            }
        }
        let cases: [Case]
    }

    /// A float, or "nan"/"inf"/"-inf" as JSON has no such numbers.
    struct Number: Decodable {
        let value: Double
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { value = d; return }
            value = ["nan": .nan, "inf": .infinity, "-inf": -.infinity][try c.decode(String.self)] ?? .nan
        }
    }

    /// Keeps the rows `stats` hands to the display.
    final class StatsCapture: DisplaySink {
        var rows: [NodeStatistics] = []
        func show(_ tensor: Tensor, options: ShowOptions) throws {}
        func showGraph(of tensor: Tensor, title: String) throws {}
        func plot(_ series: [TenshLanguage.PlotSeries], title: String) throws {}
        func saveImage(_ tensor: Tensor, path: String, colormap: String?, scale: Int) throws {}
        func watch(expression: String, value: String) throws {}
        func showStatistics(_ rows: [NodeStatistics], of root: Tensor, title: String) throws { self.rows = rows }
    }

    final class Text: OutputWriter {
        var text = ""
        func write(_ s: String) { text += s }
    }

    func assertClose(_ got: Double?, _ expected: Double?, _ what: String, rtol: Double = 1e-9, atol: Double = 1e-12) {
        guard let got, let expected else { return XCTAssertTrue(got == nil && expected == nil, "\(what): \(String(describing: got)) vs \(String(describing: expected))") }
        if expected.isNaN { return XCTAssertTrue(got.isNaN, "\(what): \(got), expected nan") }
        XCTAssertTrue(abs(got - expected) <= atol + rtol * abs(expected), "\(what): \(got), expected \(expected)")
    }

    func testStatisticsMatchPyTorch() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("Fixtures/stats.json"))
        let fixture = try JSONDecoder().decode(StatsFixture.self, from: data)
        XCTAssertEqual(fixture.cases.count, 2)
        for c in fixture.cases {
            let capture = StatsCapture()
            let session = Session(output: Text())
            session.display = capture
            let outcome = session.run(source: c.source, file: c.name)
            XCTAssertEqual(outcome.status, .ok, outcome.rendered)
            for (name, e) in c.nodes {
                guard let r = capture.rows.first(where: { $0.name == name }) else { XCTFail("\(c.name): no row \(name)"); continue }
                let what = "\(c.name) \(name)"
                XCTAssertEqual(r.shape, e.shape, what)
                assertClose(r.mean, e.mean.value, what + " mean")
                assertClose(r.std, e.std.value, what + " std")
                assertClose(r.min, e.min.value, what + " min")
                assertClose(r.max, e.max.value, what + " max")
                assertClose(r.gradientNorm, e.gradNorm?.value, what + " |grad|")
                assertClose(r.gradientRatio, e.ratio?.value, what + " |grad|/|x|")
                assertClose(r.deadFraction, e.dead?.value, what + " dead")
                XCTAssertEqual(r.nanCount, e.nan, what)
                XCTAssertEqual(r.infCount, e.inf, what)
                XCTAssertEqual(r.isOrigin, e.origin, what + " origin")
            }
            let orders = Dictionary(uniqueKeysWithValues: capture.rows.map { ($0.name, $0.index) })
            for (input, consumer) in [("x", "c1"), ("c1", "h1"), ("h1", "p1"), ("lp", "loss"), ("u", "v"), ("e", "s")] {
                if let i = orders[input], let j = orders[consumer] { XCTAssertLessThan(i, j, "\(input) comes before \(consumer)") }
            }
        }
    }

    struct GradcamFixture: Decodable {
        let index, label, predicted: Int
        let cam: [Double]
        let camShape: [Int]
        let cam8: [Double]
        let cam8Shape: [Int]
        enum CodingKeys: String, CodingKey {
            case index, label, predicted, cam, cam8
            case camShape = "cam_shape", cam8Shape = "cam8_shape"
        }
    }

    /// Runs scripts/examples/gradcam.tsh as a user does (from a folder holding
    /// `scripts`), with the text display, and compares its maps with PyTorch's.
    func testGradcamExampleMatchesPyTorch() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("Fixtures/gradcam.json"))
        let expected = try JSONDecoder().decode(GradcamFixture.self, from: data)
        try FileManager.default.createSymbolicLink(atPath: scratch + "/scripts",
                                                   withDestinationPath: Self.projectRoot.appendingPathComponent("scripts").path)
        let source = try String(contentsOf: Self.projectRoot.appendingPathComponent("scripts/examples/gradcam.tsh"), encoding: .utf8)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let out = Text()
        let session = Session(output: out)
        session.display = PlainDisplay(mode: .none, width: 80) { out.write($0) }
        let outcome = session.run(source: source, file: "gradcam.tsh")
        XCTAssertEqual(outcome.status, .ok, outcome.rendered)
        XCTAssertTrue(out.text.hasPrefix("digit \(expected.label) predicted \(expected.predicted)\n"), out.text)
        XCTAssertTrue(out.text.contains("img  [1, 1, 8, 8] f32  gray  overlay alpha=0.5 viridis"), out.text)
        for (name, values, shape) in [("cam", expected.cam, expected.camShape), ("cam8", expected.cam8, expected.cam8Shape)] {
            guard case .tensor(let t)? = session.value(of: name) else { XCTFail("no \(name)"); continue }
            XCTAssertEqual(t.shape, shape, name)
            for (i, (got, want)) in zip(t.toDoubles(), values).enumerated() {
                assertClose(got, want, "\(name)[\(i)]", rtol: 0, atol: 2e-5)
            }
        }
        let png = try Data(contentsOf: URL(fileURLWithPath: scratch + "/gradcam.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG")
        XCTAssertEqual(Array(png[16..<24]), [0, 0, 0, 8, 0, 0, 0, 8], "8x8 pixels, one per element")
    }
}
