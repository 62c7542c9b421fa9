import TenshEngine
import Foundation
import TenshLanguage
import XCTest

/// Runs every `Scripts/*.tsh` (Crafting Interpreters style): the printed lines
/// must equal the `# expect: ...` comments in order, and the errors must match
/// the `# expect error: LINE:COL message-substring` comments.
final class ScriptTests: XCTestCase {
    struct Expectations {
        var output: [String] = []
        var errors: [(line: Int, column: Int, substring: String)] = []
    }

    static let prefixMarker = "\u{1}prefix:"

    static func expectations(in source: String) -> Expectations {
        var e = Expectations()
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = line.range(of: "# expect: ") {
                e.output.append(String(line[r.upperBound...]))
            } else if let r = line.range(of: "# expect-prefix: ") {
                e.output.append(prefixMarker + String(line[r.upperBound...]))
            } else if let r = line.range(of: "# expect error: ") {
                let rest = line[r.upperBound...]
                let location = rest.prefix { $0 != " " }
                let parts = location.split(separator: ":").compactMap { Int($0) }
                let message = rest.dropFirst(location.count).drop { $0 == " " }
                if parts.count == 2 { e.errors.append((parts[0], parts[1], String(message))) }
            }
        }
        return e
    }

    static func scriptFiles() throws -> [URL] {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Scripts", withExtension: nil))
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "tsh" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func testEveryScript() throws {
        let files = try Self.scriptFiles()
        XCTAssertGreaterThanOrEqual(files.count, 40, "the script suite lost files")
        for file in files {
            let source = try String(contentsOf: file, encoding: .utf8)
            check(file.lastPathComponent, source)
        }
    }

    /// Every builtin is called by at least one script.
    func testEveryBuiltinHasAScript() throws {
        let sources = try Self.scriptFiles().map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
        for name in BuiltinRegistry.standard.names {
            XCTAssertTrue(sources.contains("\(name)(") || sources.contains(".\(name)("), "no script calls \(name)")
        }
    }

    func check(_ name: String, _ source: String, display: DisplaySink? = nil) {
        let expected = Self.expectations(in: source)
        XCTAssertFalse(expected.output.isEmpty && expected.errors.isEmpty, "\(name): no expectations")
        let output = CapturedOutput()
        let session = Session(output: output, arguments: ["first", "second"])
        session.display = display ?? RecordingDisplay(output)
        let outcome = session.run(source: source, file: name)
        var lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // `# expect-prefix: p` matches any line that starts with p (timings).
        for (i, line) in lines.enumerated() where i < expected.output.count {
            let e = expected.output[i]
            if e.hasPrefix(Self.prefixMarker), line.hasPrefix(e.dropFirst(Self.prefixMarker.count)) { lines[i] = e }
        }
        XCTAssertEqual(lines, expected.output, "\(name): output differs")
        XCTAssertEqual(outcome.diagnostics.count, expected.errors.count,
                       "\(name): expected \(expected.errors.count) errors, got:\n\(outcome.rendered)")
        for (d, e) in zip(outcome.diagnostics, expected.errors) {
            XCTAssertEqual("\(d.span.line):\(d.span.column)", "\(e.line):\(e.column)", "\(name): \(d.message)")
            XCTAssertTrue(d.message.contains(e.substring), "\(name): '\(d.message)' does not contain '\(e.substring)'")
        }
    }
}

/// Draws nothing and writes no file (the shipped examples, whose drawings the workbench tests check).
final class SilentDisplay: DisplaySink {
    func show(_ tensor: Tensor, options: ShowOptions) throws {}
    func showGraph(of tensor: Tensor, title: String) throws {}
    func plot(_ series: [PlotSeries], title: String) throws {}
    func saveImage(_ tensor: Tensor, path: String, colormap: String?, scale: Int) throws {}
    func watch(expression: String, value: String) throws {}
    func savePicture(_ tensor: Tensor, path: String, options: ShowOptions, scale: Int) throws {}
}

/// Stands in for the workbench in script tests: records each display request as
/// a line of output (the drawing itself is tested in TenshWorkbenchTests).
final class RecordingDisplay: DisplaySink {
    let output: OutputWriter
    init(_ output: OutputWriter) { self.output = output }

    func show(_ tensor: Tensor, options: ShowOptions) throws {
        output.write("show \(options.title) \(tensor.shape) sample=\(options.sample) cmap=\(options.colormap ?? "auto") global=\(options.globalNormalization)\n")
    }

    func showGraph(of tensor: Tensor, title: String) throws {
        output.write("graph \(title) \(tensor.gradFn?.op ?? "leaf")\n")
    }

    func plot(_ series: [PlotSeries], title: String) throws {
        output.write("plot \(title) " + series.map { "\($0.label):\($0.values.count)" }.joined(separator: " ") + "\n")
    }

    func saveImage(_ tensor: Tensor, path: String, colormap: String?, scale: Int) throws {
        output.write("save_image \(path) \(tensor.shape) \(colormap ?? "auto")\n")
    }

    func watch(expression: String, value: String) throws {
        output.write("watch \(expression) = \(value)\n")
    }

    func showStatistics(_ rows: [NodeStatistics], of root: Tensor, title: String) throws {
        let origin = rows.first(where: \.isOrigin)?.name ?? "none"
        output.write("stats \(title) " + rows.map(\.name).joined(separator: ",") + " origin=\(origin)\n")
    }

    func histogram(_ tensor: Tensor, options: HistogramOptions) throws {
        output.write("hist \(options.title) \(tensor.shape) bins=\(options.bins) log=\(options.logScale)\n")
    }

    func explain(_ tensor: Tensor, index: [Int], title: String) throws {
        output.write("explain \(title) \(index) \(tensor.gradFn?.op ?? "leaf")\n")
    }

    func savePicture(_ tensor: Tensor, path: String, options: ShowOptions, scale: Int) throws {
        output.write("save_picture \(path) \(tensor.shape) overlay \(options.overlay?.shape ?? []) alpha=\(options.alpha)\n")
    }
}
