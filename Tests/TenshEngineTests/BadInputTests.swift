import XCTest
@testable import TenshEngine

/// Bad inputs for every core op family: each must throw an `EngineError` whose
/// message names the op and the offending argument or shapes (never trap), or,
/// for IEEE cases, give the IEEE result.
final class BadInputTests: XCTestCase {
    enum Expect {
        /// An error from `op` (message starts `op:`) containing every fragment.
        case error(String, [String])
        /// A value, checked by the closure.
        case value((Tensor) throws -> Void)
    }

    struct Case {
        let name: String
        let run: () throws -> Tensor
        let expect: Expect
        init(_ name: String, _ expect: Expect, _ run: @escaping () throws -> Tensor) {
            self.name = name; self.expect = expect; self.run = run
        }
    }

    static func t(_ shape: [Int], _ dtype: DType = .float32) throws -> Tensor {
        try Tensor((0..<shape.reduce(1, *)).map { Double($0 % 7) - 3 }, shape: shape, dtype: dtype)
    }
    static func err(_ op: String, _ fragments: String...) -> Expect { .error(op, fragments) }
    static func values(_ expected: [Double], shape: [Int]? = nil, dtype: DType? = nil) -> Expect {
        .value { out in
            if let shape { XCTAssertEqual(out.shape, shape) }
            if let dtype { XCTAssertEqual(out.dtype, dtype) }
            let got = out.toDoubles()
            XCTAssertEqual(got.count, expected.count)
            for (g, e) in zip(got, expected) {
                XCTAssert(g == e || (g.isNaN && e.isNaN), "got \(got), expected \(expected)")
            }
        }
    }
    static func scalar(_ v: Double) -> Tensor { .wrapped(v, dtype: .float64) }
    /// A shape of rank 65, one more than the engine allows.
    static let ones65 = [Int](repeating: 1, count: 65)

    static let creation: [Case] = [
        Case("arange huge count", err("arange", "allocation limit")) { try arange(0, 1e17) },
        Case("arange count above Int", err("arange", "too many")) { try arange(0, 1e300, step: 1e-300) },
        Case("arange zero step", err("arange", "step", "non-zero")) { try arange(0, 10, step: 0) },
        Case("arange nan end", err("arange", "end=nan")) { try arange(0, .nan) },
        Case("arange infinite end", err("arange", "end=inf")) { try arange(0, .infinity) },
        Case("arange wrong direction", err("arange", "moves away")) { try arange(10, 0) },
        Case("linspace negative steps", err("linspace", "steps", "-1")) { try linspace(0, 1, steps: -1) },
        Case("linspace huge steps", err("linspace", "[9223372036854775807]", "too large")) { try linspace(0, 1, steps: Int.max) },
        Case("full overflowing shape", err("full", "[9223372036854775807, 2]", "too many")) { try full([Int.max, 2], 1) },
        Case("full negative size", err("full", "negative size -1", "[-1, 3]")) { try full([-1, 3], 1) },
        Case("full above the limit", err("full", "allocation limit")) { try full([1 << 40], 0) },
        Case("empty shape whose other sizes overflow", err("zeros", "[0, 4611686018427387904, 4]", "too many")) { try zeros([0, 1 << 62, 4]) },
        Case("zeros negative size", err("zeros", "[3, -2]")) { try zeros([3, -2]) },
        Case("eye negative", err("eye", "negative size -1")) { try eye(-1) },
        Case("eye above the limit", err("eye", "allocation limit")) { try eye(1 << 20) },
        Case("eye with no rows", values([], shape: [0, Int.max])) { try eye(0, Int.max) },
        Case("rand negative", err("rand", "[-1]")) { try rand([-1]) },
        Case("randn above the limit", err("randn", "allocation limit")) { try randn([1 << 40]) },
        Case("randn overflowing bytes", err("randn", "too large")) { try randn([1 << 62]) },
        Case("rand int dtype", err("rand", "dtype", "i64")) { try rand([2], dtype: .int64) },
        Case("randint empty range", err("randint", "high (5)", "low (5)")) { try randint(5, 5, [2]) },
        Case("randint range too wide", err("randint", "too wide")) { try randint(Int.min, Int.max, [2]) },
        Case("tensor values mismatch", err("tensor", "3 values", "[2, 2]")) { try Tensor([1, 2, 3], shape: [2, 2]) },
    ]

    static let views: [Case] = [
        Case("zeros of rank 65", err("zeros", "at most 64 dimensions, got 65")) { try zeros(ones65) },
        Case("zeros of rank 100000", err("zeros", "at most 64 dimensions, got 100000")) {
            try zeros([Int](repeating: 1, count: 100_000))
        },
        Case("reshape to rank 65", err("reshape", "at most 64 dimensions, got 65")) { try t([1]).reshaped(ones65) },
        Case("view to rank 65", err("view", "at most 64 dimensions, got 65")) { try t([1]).view(ones65) },
        Case("unsqueeze to rank 65", err("unsqueeze", "at most 64 dimensions, got 65")) {
            try t([1]).reshaped([Int](repeating: 1, count: 64)).unsqueezed(0)
        },
        Case("expand to rank 65", err("expand", "at most 64 dimensions, got 65")) { try t([1]).expanded(ones65) },
        Case("index adding a 65th dimension", err("index", "at most 64 dimensions, got 65")) {
            try t([1]).indexed([TensorIndex](repeating: .newAxis, count: 64) + [.all])
        },
        Case("reshape wrong count", err("reshape", "[4]", "size 6")) { try t([2, 3]).reshaped([4]) },
        Case("reshape two -1", err("reshape", "only one dimension")) { try t([2, 3]).reshaped([-1, -1]) },
        Case("reshape empty with -1", err("reshape", "[0, -1]")) { try t([0, 3]).reshaped([0, -1]) },
        Case("reshape negative size", err("reshape", "invalid size -2")) { try t([2, 3]).reshaped([-2, 3]) },
        Case("reshape overflowing", err("reshape", "too many")) { try t([2, 3]).reshaped([Int.max, 2]) },
        Case("view of a transpose", err("view", "[3, 2]", "strides")) { try t([2, 3]).transposed(0, 1).view([6]) },
        Case("expand overflowing", err("expand", "too many")) { try t([1, 1]).expanded([Int.max, Int.max]) },
        Case("expand above the limit", err("expand", "[1, 1]", "allocation limit")) { try t([1, 1]).expanded([1 << 20, 1 << 20]) },
        Case("expand incompatible", err("expand", "[2]", "[3]")) { try t([2]).expanded([3]) },
        Case("expand fewer sizes", err("expand", "rank (2)", "[2, 3]")) { try t([2, 3]).expanded([3]) },
        Case("expand -1 in a new dim", err("expand", "invalid size -1")) { try t([3]).expanded([-1, 3]) },
        Case("permute repeated", err("permute", "[0, 0]", "[2, 3]")) { try t([2, 3]).permuted([0, 0]) },
        Case("permute too few dims", err("permute", "rank 2", "[2, 3]")) { try t([2, 3]).permuted([0]) },
        Case("transpose dim out of range", err("transpose", "dimension 5", "rank 2")) { try t([2, 3]).transposed(0, 5) },
        Case("squeeze dim out of range", err("squeeze", "dimension 3")) { try t([2, 3]).squeezed(3) },
        Case("unsqueeze dim out of range", err("unsqueeze", "dimension 4")) { try t([2, 3]).unsqueezed(4) },
        Case("narrow past the end", err("narrow", "length 5", "[2, 3]")) { try t([2, 3]).narrowed(0, start: 1, length: 5) },
        Case("narrow Int.min start", err("narrow", "start")) { try t([2, 3]).narrowed(0, start: Int.min, length: 1) },
        Case("narrow huge length", err("narrow", "length")) { try t([2, 3]).narrowed(1, start: 1, length: Int.max) },
        Case("narrow 0-d", err("narrow", "0-d")) { try t([]).narrowed(0, start: 0, length: 1) },
        Case("flatten reversed dims", err("flatten", "start_dim")) { try t([2, 3]).flattened(startDim: 1, endDim: 0) },
        Case("index out of bounds", err("index", "index 5", "size 2", "[2, 3]")) { try t([2, 3]).indexed([.at(5)]) },
        Case("index Int.min", err("index", "out of bounds")) { try t([2, 3]).indexed([.at(Int.min)]) },
        Case("too many indices", err("index", "too many", "[2, 3]")) { try t([2, 3]).indexed([.at(0), .at(0), .at(0)]) },
        Case("slice step 0", err("index", "step", "0")) { try t([4]).indexed([.slice(start: 0, end: 4, step: 0)]) },
        Case("two ellipses", err("index", "single ellipsis")) { try t([2, 3]).indexed([.ellipsis, .ellipsis]) },
        Case("T of a 3-d tensor", err("T", "[2, 2, 2]")) { try t([2, 2, 2]).T },
        Case("flip repeated dims", err("flip", "repeat", "[2, 3]")) { try flip(t([2, 3]), dims: [0, 0]) },
        Case("flip dim out of range", err("flip", "dimension 5")) { try flip(t([2, 3]), dims: [5]) },
        Case("cat nothing", err("cat", "non-empty")) { try cat([]) },
        Case("cat 0-d", err("cat", "zero-dimensional")) { try cat([t([])]) },
        Case("cat mismatched", err("cat", "[2, 4]", "[2, 3]")) { try cat([t([2, 3]), t([2, 4])], dim: 0) },
        Case("cat rank mismatch", err("cat", "[3]", "[2, 3]")) { try cat([t([2, 3]), t([3])]) },
        Case("stack mismatched", err("stack", "[3]", "[2]")) { try stack([t([2]), t([3])]) },
        Case("index_select out of bounds", err("index_select", "index 3", "size 2")) {
            try indexSelect(t([2, 3]), dim: 0, index: Tensor([3], shape: [1], dtype: .int64))
        },
        Case("index_select float index", err("index_select", "int64", "f32")) { try indexSelect(t([2, 3]), dim: 0, index: t([1])) },
        Case("index_select 2-d index", err("index_select", "0-d or 1-d")) { try indexSelect(t([2, 3]), dim: 0, index: t([1, 1], .int64)) },
        Case("index_select 0-d input", err("index_select", "0-d")) { try indexSelect(t([]), dim: 0, index: t([1], .int64)) },
    ]

    static let arithmetic: [Case] = [
        Case("add unbroadcastable", err("add", "[2, 3]", "[4]")) { try add(t([2, 3]), t([4])) },
        Case("mul unbroadcastable", err("mul", "[2]", "[3]")) { try mul(t([2]), t([3])) },
        Case("where unbroadcastable", err("where", "[2]", "[3]")) { try `where`(t([2], .bool), t([3]), t([3])) },
        Case("matmul inner mismatch", err("matmul", "[2, 3]", "[4, 5]")) { try matmul(t([2, 3]), t([4, 5])) },
        Case("matmul 0-d", err("matmul", "at least 1 dimension", "[]")) { try matmul(t([]), t([2])) },
        Case("matmul mixed dtypes", err("matmul", "f32", "f64")) { try matmul(t([2, 2]), t([2, 2], .float64)) },
        Case("matmul batch mismatch", err("matmul", "[2]", "[3]")) { try matmul(t([2, 1, 1]), t([3, 1, 1])) },
        Case("int pow negative exponent", err("pow", "exponent", "negative")) { try pow(t([2], .int64), Tensor([-1], shape: [1], dtype: .int64)) },
        Case("neg of bool", err("neg", "bool")) { try neg(t([2], .bool)) },
        Case("linear 3-d weight", err("linear", "weight", "[2, 2, 2]")) { try linear(t([2]), t([2, 2, 2])) },
        Case("linear feature mismatch", err("linear", "in_features 3", "[2, 3]")) { try linear(t([2]), t([2, 3])) },
        Case("outer of matrices", err("outer", "[2, 2]")) { try outer(t([2, 2]), t([2])) },
        Case("clamp without bounds", err("clamp", "at least one")) { try clamp(t([2])) },
        Case("sum_to_shape of a smaller gradient", err("sum_to_shape", "[3]", "[1, 3]")) { try sumToShape(t([3]), [1, 3]) },
        Case("sum_to_shape incompatible", err("sum_to_shape", "[2, 3]", "[4]")) { try sumToShape(t([2, 3]), [4]) },
        // IEEE results, not errors.
        Case("float division by zero", values([.infinity, -.infinity, .nan])) { try div(Tensor([1, -1, 0], shape: [3]), scalar(0)) },
        Case("int division by zero", values([.infinity, .nan], dtype: .float32)) {
            try div(Tensor([1, 0], shape: [2], dtype: .int64), Tensor([0, 0], shape: [2], dtype: .int64))
        },
        Case("log of zero and negatives", values([-.infinity, .nan])) { try log(Tensor([0, -1], shape: [2])) },
        Case("sqrt of -1", values([.nan], dtype: .float64)) { try sqrt(Tensor([-1], shape: [1], dtype: .float64)) },
        Case("pow of zero to -1", values([.infinity])) { try pow(Tensor([0], shape: [1]), scalar(-1)) },
        Case("exp overflow", values([.infinity])) { try exp(Tensor([1000], shape: [1])) },
        Case("int overflow wraps", values([Double(Int64.min)], dtype: .int64)) {
            try add(Tensor([Double(Int64.max)], shape: [1], dtype: .int64), .wrapped(1, dtype: .int64))
        },
        Case("maximum with nan", values([.nan, 2])) { try maximum(Tensor([.nan, 1], shape: [2]), Tensor([0, 2], shape: [2])) },
        Case("relu propagates nan", values([.nan, 0, 2])) { try relu(Tensor([.nan, -1, 2], shape: [3])) },
        Case("clamp propagates nan", values([.nan, 0, 2])) { try clamp(Tensor([.nan, -1, 2], shape: [3]), min: 0) },
        Case("nan to int64 is 0", values([0, Double(Int64.max)], dtype: .int64)) { try Tensor([.nan, .infinity], shape: [2], dtype: .float64).to(.int64) },
    ]

    static let reductions: [Case] = [
        Case("sum dim out of range", err("sum", "dimension 2", "rank 2")) { try sum(t([2, 3]), dims: [2]) },
        Case("sum repeated dim", err("sum", "more than once")) { try sum(t([2, 3]), dims: [0, -2]) },
        Case("sum Int.min dim", err("sum", "out of range")) { try sum(t([2, 3]), dims: [Int.min]) },
        Case("mean of ints", err("mean", "i64")) { try mean(t([2], .int64)) },
        Case("max of empty", err("max", "[0]")) { try max(t([0])) },
        Case("amax over an empty dim", err("amax", "size 0", "[0, 3]")) { try amax(t([0, 3]), dims: [0]) },
        Case("argmax of empty", err("argmax", "non-zero size")) { try argmax(t([0])) },
        Case("min dim out of range", err("min", "dimension 3")) { _ = try min(t([2, 3]), dim: 3); return try t([]) },
        Case("softmax of ints", err("softmax", "i64", "[2]")) { try softmax(t([2], .int64), dim: 0) },
        Case("softmax dim out of range", err("softmax", "dimension 2")) { try softmax(t([2]), dim: 2) },
        Case("logsumexp of ints", err("logsumexp", "i64")) { try logsumexp(t([2], .int64)) },
        Case("var of ints", err("var", "i64")) { try variance(t([2], .int64)) },
        Case("norm negative p", err("norm", "p", "-1")) { try norm(t([2]), p: -1) },
        Case("inf norm of empty", err("norm", "inf norm", "size 0", "[0, 3]")) { try norm(t([0, 3]), p: .infinity, dims: [0]) },
        Case("inf norm keeps empty outer dims", values([], shape: [0])) { try norm(t([0, 3]), p: .infinity, dims: [1]) },
        Case("norm nan p", err("norm", "nan")) { try norm(t([2]), p: .nan) },
        Case("item of two elements", err("item", "2 elements", "[2]")) { _ = try t([2]).item(); return try t([]) },
        Case("item of empty", err("item", "0 elements")) { _ = try t([0, 2]).item(); return try t([]) },
        // Empty and NaN reductions follow torch.
        Case("sum of empty is 0", values([0])) { try sum(t([0])) },
        Case("sum of empty along a dim", values([0, 0, 0], shape: [3])) { try sum(t([0, 3]), dims: [0]) },
        Case("mean of empty is nan", values([.nan])) { try mean(t([0])) },
        Case("var of one element is nan", values([.nan])) { try variance(t([1])) },
        Case("norm of empty is 0", values([0])) { try norm(t([0])) },
        Case("amax keeps empty outer dims", values([], shape: [0])) { try amax(t([0, 3]), dims: [1]) },
        Case("max propagates nan", values([.nan])) { try max(Tensor([1, .nan, 3], shape: [3])) },
        Case("argmax points at nan", values([1], dtype: .int64)) { try argmax(Tensor([1, .nan, 3], shape: [3])) },
        Case("min along dim with nan", values([.nan, 1])) { try min(Tensor([2, .nan, 1, 4], shape: [2, 2]), dim: 1).values },
        Case("int64 sum is exact", values([Double(Int64.max)], dtype: .int64)) {
            try sum(Tensor([Double(Int64.max)], shape: [1], dtype: .int64))
        },
        Case("int64 sum wraps", values([Double(Int64.min)], dtype: .int64)) {
            try sum(add(Tensor([Double(Int64.max), 0], shape: [2], dtype: .int64), Tensor([0, 1], shape: [2], dtype: .int64)))
        },
        Case("softmax of empty", values([], shape: [0, 3])) { try softmax(t([0, 3]), dim: 1) },
    ]

    static let zeroDim: [Case] = [
        Case("0-d sum over dim 0", values([-3], shape: [])) { try sum(t([]), dims: [0]) },
        Case("0-d max along dim", values([-3], shape: [])) { try max(t([]), dim: 0).values },
        Case("0-d argmax", values([0], shape: [])) { try argmax(t([])) },
        Case("0-d softmax", values([1], shape: [])) { try softmax(t([]), dim: -1) },
        Case("0-d flatten", values([-3], shape: [1])) { try t([]).flattened() },
        Case("0-d add", values([-6], shape: [])) { try add(t([]), t([])) },
        Case("0-d transpose", values([-3], shape: [])) { try t([]).transposed(0, -1) },
        Case("0-d index with None", values([-3], shape: [1])) { try t([]).indexed([.newAxis]) },
        Case("0-d mean", values([-3], shape: [])) { try mean(t([])) },
        Case("empty matmul", values([0, 0, 0, 0], shape: [2, 2])) { try matmul(t([2, 0]), t([0, 2])) },
        Case("empty index_select", values([], shape: [0, 3])) { try indexSelect(t([2, 3]), dim: 0, index: t([0], .int64)) },
        Case("empty cat", values([], shape: [0, 3])) { try cat([t([0, 3]), t([0, 3])]) },
    ]

    static let autograd: [Case] = [
        Case("requires_grad on ints", err("requires_grad", "floating point", "i64")) { try t([2], .int64).setRequiresGrad() },
        Case("requires_grad on a non-leaf", err("requires_grad", "leaf", "Mul")) {
            try mul(t([2]).setRequiresGrad(), t([2])).setRequiresGrad(false)
        },
        Case("grad of a non-scalar", err("grad", "[2]", "not a scalar")) {
            let x = try t([2]).setRequiresGrad()
            return try grad(mul(x, x), x) ?? (try t([]))
        },
        Case("grad with respect to ints", err("grad", "does not require grad")) {
            let x = try t([2], .int64)
            return try grad(sum(x), x) ?? (try t([]))
        },
        Case("backward without a graph", err("backward", "does not require grad")) { try backward(sum(t([2]))); return try t([]) },
        Case("backward into a wrong-shaped .grad", err("backward", ".grad", "[3]", "[2]")) {
            let x = try t([2]).setRequiresGrad()
            x.grad = try t([3])
            try backward(sum(x))
            return x
        },
        Case("grad_output of the wrong shape", err("grad", "grad_output", "[3]", "[2]")) {
            let x = try t([2]).setRequiresGrad()
            return try grad(mul(x, x), x, gradOutput: t([3])) ?? (try t([]))
        },
        Case("unused input", err("grad", "allow_unused")) {
            let x = try t([2]).setRequiresGrad(), y = try t([2]).setRequiresGrad()
            return try grad(sum(x), y) ?? (try t([]))
        },
        Case("grad through detached is unused", err("grad", "does not require grad")) {
            let x = try t([2]).setRequiresGrad()
            return try grad(sum(mul(x.detached(), x.detached())), x) ?? (try t([]))
        },
        Case("dropout p above 1", err("dropout", "p", "1.5")) { try dropout(t([2]), p: 1.5) },
        Case("dropout p nan", err("dropout", "nan")) { try dropout(t([2]), p: .nan) },
        Case("dropout2d of 2-d", err("dropout2d", "[2, 2]")) { try dropout2d(t([2, 2])) },
        Case("dropout of ints", err("dropout", "i64")) { try dropout(t([2], .int64)) },
        Case("he_normal of 1-d", err("he_normal", "[3]")) { try heNormal([3]) },
        Case("he_normal fan_in 0", err("he_normal", "fan_in", "[4, 0]")) { try heNormal([4, 0]) },
        Case("xavier_uniform of a huge shape", err("xavier_uniform", "allocation limit")) { try xavierUniform([1, 1, 1 << 62]) },
    ]

    static var allCases: [Case] { creation + views + arithmetic + reductions + zeroDim + autograd }

    func testEveryBadInputGivesANamedErrorOrTheIEEEResult() throws {
        let cases = Self.allCases
        XCTAssertGreaterThanOrEqual(cases.count, 60)
        for c in cases {
            switch c.expect {
            case let .error(op, fragments):
                do {
                    let out = try c.run()
                    XCTFail("\(c.name): expected an error from \(op), got a tensor of shape \(out.shape)")
                } catch let e as EngineError {
                    XCTAssertEqual(e.op, op, "\(c.name): \(e.message)")
                    XCTAssertTrue(e.message.hasPrefix("\(op): "), "\(c.name): \(e.message)")
                    for f in fragments {
                        XCTAssertTrue(e.message.contains(f), "\(c.name): '\(e.message)' does not mention '\(f)'")
                    }
                } catch {
                    XCTFail("\(c.name): threw a non-engine error \(error)")
                }
            case let .value(check):
                do { try check(c.run()) } catch { XCTFail("\(c.name): unexpected error \(error)") }
            }
        }
    }
}
