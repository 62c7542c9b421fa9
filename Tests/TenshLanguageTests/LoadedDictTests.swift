import Foundation
import TenshLanguage
import XCTest

/// `load` of files holding dicts and tuples (TenshIO's tree) gives the language's dicts and tuples.
final class LoadedDictTests: XCTestCase {
    static let fixtures = ScriptTests.projectRoot.appendingPathComponent("Tests/TenshIOTests/Fixtures").path

    private func run(_ source: String) -> (Session.Outcome, String) {
        let out = CapturedOutput()
        let outcome = Session(output: out).run(source: "DIR = \"\(Self.fixtures)\"\n" + source)
        return (outcome, out.text)
    }

    func testAStateDictLoadsAsADictInTheFilesOrder() {
        let (outcome, text) = run("""
            sd = load(DIR + "/torch/state_dict.pt")
            print(list(sd.keys())[:3], len(sd), sd["0.weight"].shape, sd["0.weight"].requires_grad)
            """)
        XCTAssertEqual(outcome.status, .ok, outcome.rendered)
        XCTAssertEqual(text, "['0.weight', '0.bias', '1.weight'] 9 (4, 1, 3, 3) false\n")
    }

    func testACheckpointKeepsItsNestedDictsAndAParameterRequiresGrad() {
        let (outcome, text) = run("""
            c = load(DIR + "/torch/checkpoint.pt")
            print(list(c.keys()))
            p = load(DIR + "/torch/parameter.pt")
            print(p.requires_grad, p.is_leaf)
            z = load(DIR + "/npz/stored.npz")
            print(list(z.keys())[:2])
            """)
        XCTAssertEqual(outcome.status, .ok, outcome.rendered)
        XCTAssertEqual(text, "['model', 'optimizer', 'epoch', 'loss', 'name', 'flags', 'shape']\ntrue true\n['a', 'b']\n")
    }
}
