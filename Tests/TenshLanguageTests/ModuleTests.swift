import XCTest
import TenshEngine
@testable import TenshLanguage

/// Modules against PyTorch: reprs string-equal, batch-norm statistics after
/// train steps and eval outputs, and the behaviour of containers.
final class ModuleTests: XCTestCase {
    func script() -> (Session, CapturedOutput) {
        let out = CapturedOutput()
        return (Session(output: out), out)
    }

    func testReprsAreStringEqualToPyTorch() throws {
        let fixtures = try ModuleFixtures.load()
        XCTAssertGreaterThanOrEqual(fixtures.reprs.count, 30)
        for c in fixtures.reprs {
            let (s, out) = script()
            let outcome = s.run(source: "print(\(c.tensh))")
            XCTAssertEqual(outcome.status, .ok, "\(c.tensh): \(outcome.rendered)")
            XCTAssertEqual(out.text, c.repr + "\n", c.torch)
        }
    }

    func testBatchNormRunningStatisticsAndEvalOutputsMatchPyTorch() throws {
        let fixtures = try ModuleFixtures.load()
        XCTAssertEqual(fixtures.batchNorm.count, 8)
        for c in fixtures.batchNorm {
            let (s, _) = script()
            let convert = c.dtype == "f64" ? ".double()" : ""
            XCTAssertEqual(s.run(source: "bn = \(c.tensh)\(convert)").status, .ok)
            guard case .module(let bn)? = s.value(of: "bn") else { return XCTFail("\(c.name): no module") }
            for (key, tensor) in bn.stateEntries() {
                let value = try XCTUnwrap(c.initial[key], key).tensor()
                try noGrad { try copyInPlace(into: tensor, from: value) }
            }
            for (i, x) in c.inputs.enumerated() {
                s.interpreter.environment.assign("x\(i)", .tensor(try x.tensor()))
            }
            s.interpreter.environment.assign("xe", .tensor(try c.evalInput.tensor()))
            let run = s.run(source: "bn.train()\nfor x in [x0, x1, x2] { bn(x) }\nbn.eval()\ny = bn(xe)")
            XCTAssertEqual(run.status, .ok, run.rendered)
            let entries = bn.stateEntries()
            XCTAssertEqual(entries.map(\.key), Array(c.state.keys).sorted { a, b in
                entries.firstIndex { $0.key == a } ?? 0 < entries.firstIndex { $0.key == b } ?? 0 })
            for (key, tensor) in entries {
                let want = try XCTUnwrap(c.state[key], "\(c.name) \(key)").tensor()
                if key == "num_batches_tracked" {
                    XCTAssertEqual(tensor.toDoubles(), want.toDoubles(), "\(c.name) \(key)")
                } else {
                    assertTensorClose(tensor, want, "\(c.name) \(c.dtype) \(key)")
                }
            }
            guard case .tensor(let y)? = s.value(of: "y") else { return XCTFail("\(c.name): no output") }
            assertTensorClose(y, try c.evalOutput.tensor(), "\(c.name) \(c.dtype) eval output")
        }
    }

    /// load_state_dict's result prints as torch prints it (checked with torch 2.15).
    func testLoadStateDictResultPrintsAsPyTorch() {
        let (s, out) = script()
        let run = s.run(source: """
        m = Linear(2, 2)
        print(load_state_dict(m, state_dict(m)))
        print(load_state_dict(m, {"weight": m.weight}, strict=false))
        """)
        XCTAssertEqual(run.status, .ok, run.rendered)
        XCTAssertEqual(out.text, "<All keys matched successfully>\n_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])\n")
    }

    /// A state_dict goes out through save (.safetensors and .npz) and back into a
    /// fresh module of the same structure, buffers and num_batches_tracked included.
    func testStateDictSavedAndLoadedBackIntoANewModule() throws {
        let dir = NSTemporaryDirectory() + "tensh-module-sd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (s, out) = script()
        let run = s.run(source: """
        def make() = Module(conv=Conv2d(1, 4, 3), bn=BatchNorm2d(4), fc=Linear(8, 2))
        net = make()
        y = net.bn(net.conv(randn(2, 1, 5, 5)))
        for ext in ["safetensors", "npz"] {
          path = "\(dir)/net." + ext
          save(state_dict(net), path)
          other = make()
          print(load_state_dict(other, load(path)))
          same = [equal(v, state_dict(other)[k]) for k, v in state_dict(net).items()]
          print(len(same), all(same), state_dict(other)["bn.num_batches_tracked"])
        }
        """)
        XCTAssertEqual(run.status, .ok, run.rendered)
        XCTAssertEqual(out.text, String(repeating: "<All keys matched successfully>\n9 true tensor(1)\n", count: 2))
    }

    func testContainersCallIndexIterateAndNest() {
        let (s, out) = script()
        let run = s.run(source: """
        manual_seed(3)
        def double_it(x) = x * 2
        seq = Sequential(Linear(3, 4), ReLU(), double_it, Linear(4, 2))
        x = randn(5, 3, seed=1)
        y = seq(x)
        h = seq[1](seq[0](x)) * 2
        print(y.shape, len(seq), allclose(y, seq[3](h)))
        print(seq[-1])
        print(seq[1:3])
        n = 0
        for m in seq { n += 1 }
        print(n)
        def fwd(self, x) = self.body(x) + self.skip(x)
        net = Module(body=Sequential(Linear(3, 3), Tanh()), skip=Identity(), forward=fwd)
        print(net(x).shape, net.body[0].weight.shape, net.training)
        print(len(parameters(net)), net.body.training)
        net.eval()
        print(net.training, net.body.training, net.body[1].training)
        """)
        XCTAssertEqual(run.status, .ok, run.rendered)
        XCTAssertEqual(out.text, """
        (5, 2) 4 true
        Linear(in_features=4, out_features=2, bias=True)
        Sequential(
          (0): ReLU()
          (1): <function double_it(x)>
        )
        4
        (5, 3) (3, 3) true
        2 true
        false false false

        """)
    }

    func testParametersFollowPyTorchOrderAndConvertDtypes() {
        let (s, out) = script()
        let run = s.run(source: """
        net = Sequential(Conv2d(1, 2, 3), BatchNorm2d(2), Sequential(Linear(4, 3, bias=false)), Linear(3, 1))
        for p in parameters(net) { print(p.shape, p.dtype, p.requires_grad) }
        net.double()
        print(net[0].weight.dtype, net[1].running_mean.dtype, net[1].num_batches_tracked.dtype, net[0].weight.requires_grad)
        net.to("f32")
        print(net[3].bias.dtype)
        """)
        XCTAssertEqual(run.status, .ok, run.rendered)
        XCTAssertEqual(out.text, """
        (2, 1, 3, 3) f32 true
        (2,) f32 true
        (2,) f32 true
        (2,) f32 true
        (3, 4) f32 true
        (1, 3) f32 true
        (1,) f32 true
        f64 f64 i64 true
        f32

        """)
    }

    func testAttributeAssignmentReplacesChildrenAndParameters() {
        let (s, out) = script()
        let run = s.run(source: """
        def f(self, x) = self.fc(x)
        m = Module(fc=Linear(2, 3), forward=f)
        m.fc = Linear(2, 4)
        print(m(ones(1, 2)).shape)
        m.fc.bias = none
        print(m.fc, list(state_dict(m).keys()))
        m.head = Identity()
        m.training = false
        print(len(parameters(m)), m.training)
        m.fc.weight = param(zeros(4, 2))
        print(m(ones(1, 2)))
        """)
        XCTAssertEqual(run.status, .ok, run.rendered)
        XCTAssertEqual(out.text, """
        (1, 4)
        Linear(in_features=2, out_features=4, bias=False) ['fc.weight']
        1 false
        tensor([[0., 0., 0., 0.]], grad_fn=<MatmulBackward>)

        """)
        let (s2, _) = script()
        let bad = s2.run(source: "m = Linear(1, 1)\nm.extra = 3")
        XCTAssertTrue(bad.rendered.contains("cannot set attribute 'extra' of Linear"), bad.rendered)
        let cycle = s2.run(source: "def f(self, x) = x\na = Module(b=Linear(1, 1), forward=f)\na.b = a")
        XCTAssertTrue(cycle.rendered.contains("it contains this module"), cycle.rendered)
    }

    func testInitialisationIsPyTorchsAndSeeded() throws {
        let (s, _) = script()
        XCTAssertEqual(s.run(source: "manual_seed(5)\na = Linear(100, 50)\nmanual_seed(5)\nb = Linear(100, 50)").status, .ok)
        guard case .module(let a)? = s.value(of: "a"), case .module(let b)? = s.value(of: "b") else { return XCTFail("no modules") }
        let wa = a.namedParameters()[0].tensor.toDoubles(), wb = b.namedParameters()[0].tensor.toDoubles()
        XCTAssertEqual(wa, wb, "manual_seed repeats the initialisation")
        let bound = 1 / 10.0 // kaiming_uniform(a=√5) and the bias both give 1/√fan_in
        XCTAssertTrue(wa.allSatisfy { Swift.abs($0) <= bound })
        XCTAssertGreaterThan(wa.max() ?? 0, 0.9 * bound)
        XCTAssertTrue(a.namedParameters()[1].tensor.toDoubles().allSatisfy { Swift.abs($0) <= bound })
    }

    func testModuleErrorsSayWhatToWrite() {
        let cases: [(String, String)] = [
            ("Module(a=Linear(1, 1))(ones(1, 1))", "Module has no forward: give it one with Module(..., forward=f)"),
            ("Linear(3, 2)(ones(2, 4))", "linear"),
            ("Linear(3, 2)(ones(1, 3), ones(1, 3))", "Linear takes 1 input but 2 were given"),
            ("Conv2d(3, 4, 3, groups=2)", "Conv2d: in_channels (3) must be divisible by groups (2)"),
            ("Conv2d(1, 4, 3, padding=\"sam\")", "did you mean 'same'?"),
            ("Dropout(1.5)", "dropout probability has to be between 0 and 1, but got 1.5"),
            ("Linear(2, 2).wieght", "'Linear' object has no attribute 'wieght'; did you mean 'weight'?"),
            ("Sequential(Linear(1, 1))[3]", "index 3 is out of range for Sequential with 1 children"),
            ("BatchNorm2d(3)(ones(2, 3))", "BatchNorm2d: expected 4D input (got 2D input)"),
            ("Sequential(3)", "must be a module or a function, got an int"),
            ("Linear(2, 2).to(\"i64\")", "modules convert to a floating point dtype"),
            ("load_state_dict(Linear(3, 2), {\"weight\": zeros(3, 3)}, strict=false)",
             "size mismatch for weight: copying a param with shape [3, 3] from checkpoint, the shape in current model is [2, 3]."),
            ("load_state_dict(Linear(3, 2), {\"weight\": zeros(2, 3)})", "Missing key(s) in state_dict: \"bias\"."),
            ("SGD(Linear(1, 1), lr=0.1).step(1)", "step takes 1 positional argument"),
            ("StepLR(Linear(1, 1), 2)", "StepLR needs an optimizer, got a module"),
            ("Adam([param(ones(1))], betas=(0.9,))", "betas must be two numbers"),
            ("SGD([], lr=0.1)", "SGD got an empty parameter list"),
            ("SGD([param(ones(1)) * 2], lr=0.1)", "can't optimize a non-leaf tensor"),
            ("batches(ones(3, 2), ones(4), 2)", "x and y must have the same size in dim 0"),
        ]
        for (source, message) in cases {
            let (s, _) = script()
            let outcome = s.run(source: source)
            XCTAssertEqual(outcome.status, .runtimeError, source)
            XCTAssertTrue(outcome.rendered.contains(message), "\(source): \(outcome.rendered)")
        }
    }
}
