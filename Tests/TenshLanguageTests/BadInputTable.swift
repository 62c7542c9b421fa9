/// The bad-input table: each row is a source that must fail with a
/// clear message at the right place. Rows are grouped by op family; `DIR` is
/// replaced by a folder of broken `.npy` files (BadInputTableTests.makeNpyFiles).
/// Messages were frozen after reading each one and checking its column.
struct BadInputRow {
    let source: String
    let message: String
    /// "line:col" of the first diagnostic.
    let location: String

    init(_ source: String, _ message: String, _ location: String) {
        self.source = source
        self.message = message
        self.location = location
    }
}

enum BadInputTable {
    typealias Row = BadInputRow

    /// Deep nesting and runaway evaluation: built, as they are too long to write out.
    static var generated: [Row] {
        let open = String(repeating: "(", count: 10_000), close = String(repeating: ")", count: 10_000)
        let deepRuntime = "def d(n) = " + String(repeating: "-", count: 190) + "d(n + 1)\nd(0)"
        return [
            Row("x = " + open + "1" + close, "nesting too deep (the limit is 200 levels)", "1:205"),
            Row("x = " + String(repeating: "[", count: 10_000), "nesting too deep (the limit is 200 levels)", "1:205"),
            Row("x = " + String(repeating: "-", count: 10_000) + "1", "nesting too deep (the limit is 200 levels)", "1:205"),
            Row("x = " + String(repeating: "not ", count: 10_000) + "true", "nesting too deep (the limit is 200 levels)", "1:805"),
            Row(deepRuntime, "expression too deeply nested at run time (more than 1500 levels, counting calls)", "1:173"),
            // The command line decodes a file's invalid UTF-8 bytes as U+FFFD.
            Row(String(decoding: Array("x = 1 + ".utf8) + [0xFF, 0xFE], as: UTF8.self),
                "unexpected character U+FFFD (the source has bytes that are not valid UTF-8)", "1:9"),
            Row("x = 1 \u{0} 2", "unexpected character U+0000", "1:7"),
            Row("x = 1\u{7}", "unexpected character U+0007", "1:6"),
        ]
    }

    static let rows: [Row] = [
        // syntax
        Row("1 +", "expected an expression, found end of input", "1:4"),
        Row("(1, 2", "'(' was never closed", "1:1"),
        Row("[1, 2", "'[' was never closed", "1:1"),
        Row("x = = 3", "expected an expression, found '='", "1:5"),
        Row("def = 3", "expected a function name after 'def', found '='", "1:5"),
        Row("def f(x { x }", "expected ')' after parameters, found '{'", "1:9"),
        Row("if { }", "expected an expression, found '{'", "1:4"),
        Row("for in x { }", "expected a loop variable after 'for', found 'in'", "1:5"),
        Row("while { }", "expected an expression, found '{'", "1:7"),
        Row("x[", "'[' was never closed", "1:2"),
        Row("x[1:2:3:4]", "expected ']' after index, found ':'", "1:8"),
        Row("\"unterminated", "unterminated string", "1:1"),
        Row("'also", "unterminated string", "1:1"),
        Row("1 $ 2", "unexpected character '$'", "1:3"),
        Row("@@", "expected an expression, found '@'", "1:1"),
        Row("x = 0x", "expected end of statement, found 'x'", "1:6"),
        Row("print(1 $ 2)", "unexpected character '$'", "1:9"),
        Row("x = 1 + 2\ny = (3", "'(' was never closed", "2:5"),
        // literal
        Row("x = 99999999999999999999999999", "integer literal 99999999999999999999999999 is too large (the limit is 9223372036854775807)", "1:5"),
        Row("x = -9223372036854775807 - 2", "integer overflow in -", "1:5"),
        Row("x = 2 ** 63", "integer overflow", "1:5"),
        // names
        Row("y = undefined_name", "undefined name 'undefined_name'", "1:5"),
        Row("print(undefined_fn(1))", "undefined name 'undefined_fn'", "1:7"),
        Row("zeros(2)[True]", "undefined name 'True'; did you mean 'true'?", "1:10"),
        Row("y = None", "undefined name 'None'; did you mean 'none'?", "1:5"),
        Row("y = zerso(2)", "undefined name 'zerso'; did you mean 'zeros'?", "1:5"),
        Row("cumsun(zeros(3), dim=1)", "undefined name 'cumsun'; did you mean 'cumsum'?", "1:1"),
        // creation
        Row("zeros(-1)", "zeros: negative size -1 in shape [-1]", "1:7"),
        Row("zeros(2, -3)", "zeros: negative size -3 in shape [2, -3]", "1:7"),
        Row("ones(9223372036854775807, 2)", "full: shape [9223372036854775807, 2] has too many elements", "1:6"),
        Row("zeros(2 ** 40, 2 ** 40)", "has too many elements", "1:7"),
        Row("full([2, 2])", "full is missing the argument 'fill_value' (full(size, fill_value, dtype=\"f32\", requires_grad=false))", "1:1"),
        Row("arange(0, 10, 0)", "arange: step must be finite and non-zero (start=0.0, end=10.0, step=0.0)", "1:15"),
        Row("arange(0, 1e300)", "arange: 1e+300 elements is too many", "1:11"),
        Row("linspace(0, 1, -5)", "linspace: steps must be non-negative, got -5", "1:16"),
        Row("eye(-2)", "eye: sizes must be non-negative, got -2, -2", "1:5"),
        Row("randn(2, 2, seed=-1)", "randn: seed must be a non-negative int, got -1", "1:13"),
        Row("randint(5, 1, [3])", "randint: high (1) must be greater than low (5)", "1:12"),
        Row("tensor([[1, 2], [3]])", "tensor: the list is not rectangular: an element of shape [1] next to [2]", "1:8"),
        Row("tensor(\"abc\")", "tensor: tensor() takes numbers, lists and tensors, found string", "1:8"),
        Row("full([2, 2], 1, dtype=\"f16\")", "full: unknown dtype \"f16\" (expected \"f32\", \"f64\", \"i64\" or \"bool\"); did you mean 'f32'?", "1:17"),
        Row("zeros(2, dtype=3)", "zeros: argument 'dtype' must be a dtype name (\"f32\", \"f64\", \"i64\" or \"bool\"), got int", "1:10"),
        // limit
        Row("zeros(65536, 65536)", "zeros: a tensor of 17179869184 bytes exceeds the allocation limit of 8589934592 bytes", "1:1"),
        Row("randn(100000, 100000)", "randn: a tensor of 40000000000 bytes exceeds the allocation limit of 8589934592 bytes", "1:1"),
        Row("ones(1).expand(1048576, 1048576)", "above the allocation limit", "1:16"),
        // arith
        Row("zeros(2, 3) + zeros(4, 5)", "add: shapes [2, 3] and [4, 5] cannot be broadcast (dimension 0: 2 vs 4)", "1:1"),
        Row("zeros(2, 3) * ones(3, 2)", "mul: shapes [2, 3] and [3, 2] cannot be broadcast", "1:1"),
        Row("maximum(zeros(2), zeros(3))", "maximum: shapes [2] and [3] cannot be broadcast", "1:1"),
        Row("zeros(4) > zeros(5)", "gt: shapes [4] and [5] cannot be broadcast", "1:1"),
        Row("where(zeros(2) > 0, zeros(3), zeros(4))", "where: shapes [2] and [3] cannot be broadcast (dimension 0: 2 vs 3)", "1:1"),
        Row("\"abc\" + 1", "unsupported operand types for +: string and int", "1:1"),
        Row("none + 1", "unsupported operand types for +: none and int", "1:1"),
        Row("clamp(zeros(2), min=\"a\")", "clamp: argument 'min' must be a number, got string", "1:17"),
        // linalg
        Row("zeros(2, 3) @ zeros(2, 3)", "matmul: shapes [2, 3] and [2, 3] cannot be multiplied (3 columns vs 2 rows)", "1:1"),
        Row("matmul(zeros(3), zeros(4))", "matmul: shapes [1, 3] and [4, 1] cannot be multiplied (3 columns vs 4 rows)", "1:18"),
        Row("linear(zeros(2, 3), zeros(4, 5))", "linear: input's last dimension 3 does not match in_features 5 (input [2, 3], weight [4, 5])", "1:8"),
        Row("outer(zeros(2, 2), zeros(2))", "outer: outer needs two 1-d tensors, got [2, 2] and [2]", "1:7"),
        // shape
        Row("zeros(2, 3).view(4, 2)", "view: shape [4, 2] is invalid for input of size 6 (shape [2, 3])", "1:18"),
        Row("zeros(2, 3).reshape(7)", "reshape: shape [7] is invalid for input of size 6 (shape [2, 3])", "1:21"),
        Row("zeros(2, 3).reshape(-1, -1)", "reshape: only one dimension can be -1, got [-1, -1]", "1:21"),
        Row("zeros(2, 3).permute(0, 0)", "permute: dims [0, 0] repeat a dimension (shape [2, 3])", "1:21"),
        Row("zeros(2, 3).permute(0)", "permute: got 1 dims [0] for a tensor of rank 2 (shape [2, 3])", "1:21"),
        Row("zeros(2, 3).transpose(0, 5)", "transpose: dimension 5 is out of range for a tensor of rank 2 (expected -2...1)", "1:26"),
        Row("zeros(2, 3).transpose(0.5, 1)", "transpose: argument 'dim0' must be an int, got float", "1:23"),
        Row("zeros(2, 3).squeeze(4)", "squeeze: dimension 4 is out of range for a tensor of rank 2 (expected -2...1)", "1:21"),
        Row("zeros(2, 3).unsqueeze(9)", "unsqueeze: dimension 9 is out of range for a tensor of rank 3 (expected -3...2)", "1:23"),
        Row("zeros(2, 3).expand(4, 4)", "expand: cannot expand shape [2, 3] to [4, 4]: dimension 0 has size 2, and only sizes of 1 can be expanded", "1:20"),
        Row("ones(3).expand(-1, -1, 3)", "expand: invalid size -1 in [-1, -1, 3]", "1:16"),
        Row("zeros(2, 3).flatten(2, 0)", "flatten: dimension 2 is out of range for a tensor of rank 2 (expected -2...1)", "1:21"),
        Row("cat([zeros(2, 3), zeros(3, 2)])", "cat: sizes of tensors must match except in dimension 0: tensor 1 has shape [3, 2] but tensor 0 has shape [2, 3]", "1:5"),
        Row("cat([])", "cat: expected a non-empty list of tensors", "1:5"),
        Row("stack([zeros(2), zeros(3)])", "stack: stack expects each tensor to be equal size, but tensor 1 has shape [3] and tensor 0 has shape [2]", "1:7"),
        Row("flip(zeros(2, 3), 7)", "flip: dimension 7 is out of range for a tensor of rank 2 (expected -2...1)", "1:19"),
        // index
        Row("zeros(2, 3)[5]", "index: index 5 is out of bounds for dimension 0 with size 2 (shape [2, 3], index [5])", "1:1"),
        Row("zeros(2, 3)[0, 0, 0]", "index: too many indices for a tensor of rank 2: [0, 0, 0] indexes 3 dimensions of shape [2, 3]", "1:1"),
        Row("zeros(2, 3)[::0]", "index: slice step must be positive, got 0 in [::0]", "1:1"),
        Row("zeros(2, 3)[::-1]", "index: slice step must be positive, got -1 in [::-1]", "1:1"),
        Row("zeros(2, 3)[..., ...]", "index: an index can only have a single ellipsis (...), got [..., ...]", "1:1"),
        Row("zeros(2, 3)[\"a\"]", "an index must be an int, a slice, ..., none, a list of ints or an index tensor, got a string", "1:13"),
        Row("zeros(2)[tensor([1.5])]", "tensors used as indices must be int64 or bool tensors, got f32 of shape [1]", "1:10"),
        Row("[\"a\", \"b\"][7]", "index 7 is out of range for a list of length 2", "1:12"),
        Row("[\"a\", \"b\"][::0]", "slice step cannot be zero", "1:1"),
        Row("zeros(2)[9223372036854775807]", "out of bounds", "1:1"),
        // reduce
        Row("sum(zeros(2, 3), dim=4)", "sum: dimension 4 is out of range for a tensor of rank 2 (expected -2...1)", "1:18"),
        Row("zeros(2).sum(dim=\"a\")", "sum: argument 'dim' must be an int or a list of ints, got string", "1:14"),
        Row("mean(tensor([1, 2], dtype=\"i64\"))", "mean: mean needs a floating point tensor, got i64", "1:6"),
        Row("max(zeros(0))", "max: cannot reduce over dimension 0 of size 0 (shape [0])", "1:5"),
        Row("argmax(zeros(2, 3), dim=-3)", "argmax: dimension -3 is out of range for a tensor of rank 2 (expected -2...1)", "1:21"),
        Row("var(zeros(2, 3), dim=[0, 0])", "var: dimension [0, 0] appears more than once", "1:18"),
        Row("softmax(zeros(2, 3), dim=2)", "softmax: dimension 2 is out of range for a tensor of rank 2 (expected -2...1)", "1:22"),
        Row("log_softmax(zeros(2, 3), dim=-5)", "log_softmax: dimension -5 is out of range for a tensor of rank 2 (expected -2...1)", "1:26"),
        Row("norm(zeros(2, 3), p=-1)", "norm: norm order p must be positive, got -1.0", "1:19"),
        Row("zeros(2).item()", "item: item() needs a tensor with one element, got shape [2]", "1:1"),
        // conv
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 4, 3, 3))", "conv2d: input has 3 channels but weight expects 4 (weight [8, 4, 3, 3], groups=1)", "1:27"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), stride=0)", "conv2d: stride must be positive, got [0]", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), stride=-2)", "conv2d: stride must be positive, got [-2]", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), dilation=-1)", "conv2d: dilation must be positive, got [-1]", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), dilation=0)", "conv2d: dilation must be positive, got [0]", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), padding=-1)", "conv2d: padding must be non-negative, got [-1]", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 9, 9))", "conv2d: kernel height 9 (dilated to 9) is larger than the padded input height 8 (input [1, 3, 8, 8], weight [8, 3, 9, 9])", "1:27"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), groups=2)", "conv2d: input channels 3 are not divisible by groups=2 (input [1, 3, 8, 8])", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), padding=\"sometimes\")", "conv2d: unknown padding \"sometimes\" (expected an int, a list of ints, \"same\" or \"valid\")", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), padding=[1, 2, 3])", "conv2d: padding needs 1, 2 ([height, width]) or 4 ([left, right, top, bottom]) values, got [1, 2, 3]", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), padding_mode=\"mirror\")", "conv2d: unknown padding_mode \"mirror\" (expected \"zeros\", \"reflect\", \"replicate\", \"circular\")", "1:46"),
        Row("conv2d(zeros(1, 3, 2, 2), zeros(8, 3, 3, 3), padding=2, padding_mode=\"reflect\")", "conv2d: reflect padding 2 must be smaller than the input size 2 of dimension 3 (input [1, 3, 2, 2], pad [2, 2, 2, 2])", "1:1"),
        Row("conv2d(zeros(3, 8), zeros(8, 3, 3, 3))", "conv2d: expected a 4-d input [N, C, H, W] (or 3-d [C, H, W]), got shape [3, 8]", "1:8"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), zeros(7))", "conv2d: bias must have shape [8], got [7] (weight [8, 3, 3, 3])", "1:46"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3, dtype=\"f64\"))", "conv2d: input is f32 but weight is f64; convert one of them", "1:27"),
        Row("conv2d(zeros(1, 3, 8, 8), zeros(8, 3, 3, 3), strid=2)", "conv2d has no keyword argument 'strid'; did you mean 'stride'?", "1:46"),
        Row("conv1d(zeros(1, 2, 8), zeros(4, 3, 3))", "conv1d: input has 2 channels but weight expects 3 (weight [4, 3, 1, 3], groups=1)", "1:24"),
        Row("depthwise_conv2d(zeros(1, 3, 8, 8), zeros(3, 2, 3, 3))", "depthwise_conv2d: depthwise weight must have shape [C·m, 1, Kh, Kw], got [3, 2, 3, 3]", "1:37"),
        Row("conv_transpose2d(zeros(1, 4, 8, 8), zeros(4, 2, 3, 3), stride=2, output_padding=2)", "conv_transpose2d: output_padding [2] must be smaller than either stride [2, 2] or dilation [1, 1]", "1:66"),
        Row("conv_transpose2d(zeros(1, 4, 8, 8), zeros(3, 2, 3, 3))", "conv_transpose2d: input has 4 channels but weight expects 3 (weight [3, 2, 3, 3], groups=1)", "1:37"),
        Row("conv_transpose1d(zeros(1, 4, 8), zeros(4, 2, 3), stride=0)", "conv_transpose1d: stride must be positive, got [0]", "1:50"),
        Row("unfold(zeros(1, 2, 4, 4), 5)", "unfold: kernel [5, 5] (dilated to [5, 5]) is larger than the padded input [4, 4] (input [1, 2, 4, 4])", "1:27"),
        Row("pad(zeros(1, 1, 4, 4), [1, 2, 3])", "pad: pad needs an even number of values, at most 2 per dimension (input [1, 1, 4, 4] has rank 4), got [1, 2, 3]", "1:24"),
        Row("pad(zeros(1, 1, 4, 4), [5, 5, 5, 5], mode=\"reflect\")", "pad: reflect padding 5 must be smaller than the input size 4 of dimension 3 (input [1, 1, 4, 4], pad [5, 5, 5, 5])", "1:24"),
        Row("pad(zeros(1, 1, 4, 4), [1, 1], mode=\"wrap\")", "pad: unknown mode \"wrap\" (expected \"constant\", \"reflect\", \"replicate\", \"circular\")", "1:32"),
        // pool
        Row("max_pool2d(zeros(1, 1, 4, 4), 5)", "max_pool2d: input [1, 1, 4, 4] is too small for kernel_size=[5, 5] with padding=[0, 0], dilation=[1, 1]: calculated output size 0x0", "1:31"),
        Row("max_pool2d(zeros(1, 1, 4, 4), 2, stride=0)", "max_pool2d: stride must be positive, got [0, 0]", "1:34"),
        Row("max_pool2d(zeros(1, 1, 4, 4), 2, padding=2)", "max_pool2d: padding should be at most half of the kernel size, got padding=[2, 2] for kernel_size=[2, 2]", "1:34"),
        Row("avg_pool2d(zeros(4, 4), 2)", "avg_pool2d: expected a 3-d [C, H, W] or 4-d [N, C, H, W] input, got shape [4, 4]", "1:12"),
        Row("adaptive_avg_pool2d(zeros(1, 1, 4, 4), 0)", "adaptive_avg_pool2d: output size must be positive, got [0]", "1:40"),
        Row("upsample(zeros(1, 1, 4, 4), 0)", "upsample: scale_factor must be positive and finite, got [0.0]", "1:29"),
        Row("upsample(zeros(1, 1, 4, 4), 2, mode=\"cubic\")", "upsample: unknown mode \"cubic\" (expected \"nearest\", \"bilinear\", \"bicubic\", \"area\"); did you mean 'bicubic'?", "1:32"),
        // loss
        Row("mse_loss(zeros(2, 3), zeros(3, 2))", "mse_loss: target shape [3, 2] differs from input shape [2, 3]", "1:23"),
        Row("nll_loss(zeros(2, 3), tensor([0, 5], dtype=\"i64\"))", "nll_loss", "1:23"),
        Row("nll_loss(zeros(2, 3), zeros(2))", "nll_loss: target must be int64 of shape [2] for input [2, 3], got f32 [2]", "1:23"),
        Row("cross_entropy(zeros(2, 3), tensor([0, 1, 2]))", "cross_entropy: target must be int64 class indices or float probabilities of the logits' shape [2, 3], got f32 [3]", "1:28"),
        Row("binary_cross_entropy(zeros(2), zeros(3))", "binary_cross_entropy: target shape [3] differs from input shape [2]", "1:32"),
        // layer
        Row("dropout(zeros(3), p=1.5)", "dropout: dropout probability has to be between 0 and 1, but got 1.5", "1:19"),
        Row("batch_norm(zeros(2, 3), zeros(4), ones(4))", "batch_norm: running_mean must be a float tensor of shape [3] for input [2, 3], got f32 [4]", "1:25"),
        // autograd
        Row("grad(sum(zeros(3)), zeros(3))", "grad: y does not require grad: it was not computed from a tensor with requires_grad=true", "1:6"),
        Row("w = param(zeros(3)); grad(sum(w * 2), [w, param(zeros(2))])", "grad: input 1 (shape [2]) was not used to compute the output; pass allow_unused=true to get none", "1:39"),
        Row("backward(zeros(2, 2))", "backward: y does not require grad: it was not computed from a tensor with requires_grad=true", "1:10"),
        Row("tensor([1, 2]).backward()", "backward: y does not require grad", "1:1"),
        Row("gradcheck(1, [zeros(2)])", "gradcheck: argument 'f' must be a function, got int", "1:11"),
        // call
        Row("relu(5, 6)", "relu takes 1 positional argument but 2 were given", "1:9"),
        Row("relu()", "relu is missing the argument 'x' (relu(x))", "1:1"),
        Row("sum(zeros(2), dimm=0)", "sum has no keyword argument 'dimm'; did you mean 'dim'?", "1:15"),
        Row("def f(a, b) = a + b; f(1)", "missing", "1:22"),
        Row("def f(a) = a; f(1, 2)", "f takes 1 argument but 2 were given", "1:20"),
        Row("def f(a) = a; f(1, c=2)", "f has no parameter 'c'; did you mean 'a'?", "1:20"),
        Row("x = 5; x()", "an int is not callable", "1:8"),
        Row("zeros(2)(1)", "a tensor is not callable", "1:1"),
        Row("zeros(2, 3).nothing", "a tensor has no attribute 'nothing'", "1:13"),
        Row("len(5)", "len: len() of an int", "1:5"),
        Row("for x in 3 { }", "cannot iterate over an int", "1:10"),
        Row("range(1, 2, 0)", "range: step must not be zero", "1:13"),
        Row("help(\"nonexistent_builtin\")", "help: no builtin named 'nonexistent_builtin'", "1:6"),
        Row("exit(\"a\")", "exit: argument 'code' must be an int, got string", "1:6"),
        Row("print(1, sep=2)", "print: argument 'sep' must be a string, got int", "1:10"),
        Row("break", "'break' outside a loop", "1:1"),
        // recursion
        Row("def f(n) = f(n + 1); f(0)", "recursion depth exceeded (more than 200 nested calls)", "1:12"),
        Row("def g(n) { return g(n + 1) }; g(0)", "recursion depth exceeded (more than 200 nested calls)", "1:19"),
        Row("def h(n) { if n == 0 { return 0 }; return 1 + h(n - 1) }; h(100000)", "recursion depth exceeded (more than 200 nested calls)", "1:47"),
        Row("l = []\nm = []\nfor i in range(1000) { l = [l]; m = [m] }\nl == m", "comparison nested more than 64 levels deep", "4:1"),
        // io
        Row("load(\"/nonexistent/file.npy\")", "load: cannot open '/nonexistent/file.npy': No such file or directory", "1:6"),
        Row("load(\"/dev/zero\")", "load: '/dev/zero': it is a character device, not a regular file", "1:6"),
        Row("load(\"/dev/null\")", "load: '/dev/null': it is a character device, not a regular file", "1:6"),
        Row("load(\"/\")", "load: '/': it is a directory, not a regular file", "1:6"),
        Row("load(DIR + \"/truncated.npy\")", "truncated.npy' at byte 128: truncated: shape [2, 3] of '<f4' needs 24 data bytes but the file has 16 after the header", "1:6"),
        Row("load(DIR + \"/headonly.npy\")", "headonly.npy' at byte 8: truncated header", "1:6"),
        Row("load(DIR + \"/lying.npy\")", "lying.npy' at byte 128: truncated: shape [9, 9] of '<f4' needs 324 data bytes but the file has 24 after the header", "1:6"),
        Row("load(DIR + \"/badmagic.npy\")", "badmagic.npy' at byte 0: not a .npy file: bad magic", "1:6"),
        Row("load(DIR + \"/empty.npy\")", "empty.npy': not a .npy file: only 0 bytes (a header needs at least 10)", "1:6"),
        Row("load(DIR + \"/complex.npy\")", "complex.npy' at byte 10: unsupported dtype descr '<c8'", "1:6"),
        Row("load(DIR + \"/huge.npy\")", "huge.npy' at byte 128: truncated: shape [100000, 100000] of '<f8' needs 80000000000 data bytes but the file has 24 after the header", "1:6"),
        Row("save(zeros(2), \"/nonexistent/dir/x.npy\")", "save: cannot write '/nonexistent/dir/x.npy': No such file or directory", "1:16"),
        Row("save(zeros(2), \"/\")", "save: '/' names a directory, not a file", "1:16"),
        Row("save(zeros(2), \"/proc/x.npy\")", "save: cannot write '/proc/x.npy'", "1:16"),
        Row("dot(sum(param(zeros(2))), \"/nonexistent/dir/g.dot\")", "dot: cannot write '/nonexistent/dir/g.dot': No such file or directory", "1:27"),
        Row("dot(sum(param(zeros(2))), \"/\")", "dot: '/' names a directory, not a file", "1:27"),
        Row("save(zeros(2), \"x.npy\\0junk\")", "save: the path 'x.npy\\x00junk' contains a NUL character", "1:16"),
        Row("load(\"/dev/null\\0.npy\")", "load: the path '/dev/null\\x00.npy' contains a NUL character", "1:6"),
        Row("save_image(zeros(3, 2, 2), \"x.png\", scale=0)", "save_image: scale must be at least 1, got 0", "1:37"),
        Row("load_image(\"/dev/zero\")", "load_image: '/dev/zero': it is a character device, not a regular file", "1:12"),
    ]

    /// Inputs that are not errors: IEEE results and accepted edge cases, with what they print.
    static let printing: [(source: String, output: String)] = [
        ("print(tensor([1.0, -1.0, 0.0]) / 0)", "tensor([inf, -inf, nan])\n"),
        ("print(1 / 0, -1 / 0, 0 / 0, 2.5 / 0.0)", "inf -inf nan inf\n"),
        ("print(tensor([1.0], dtype=\"f64\") / tensor([0.0], dtype=\"f64\"))", "tensor([inf], dtype=f64)\n"),
        ("print(tensor([1, 2], dtype=\"i64\") / 0)", "tensor([inf, inf])\n"),
        ("print(log(tensor([0.0])), sqrt(tensor([-1.0])))", "tensor([-inf]) tensor([nan])\n"),
        ("print(exp(tensor([1000.0])), pow(tensor([0.0]), -1))", "tensor([inf]) tensor([inf])\n"),
        ("x = 1e999999\nprint(x, -x)", "inf -inf\n"),
        ("print(1.5e-400)", "0.0\n"),
        ("print(tensor(1e400))", "tensor(inf)\n"),
        ("print(zeros(2)[1:0])", "tensor([])\n"),
        ("print(\"a\\0b\" == \"a\\0b\")", "true\n"),
        ("print(item(sum(tensor([9223372036854775807, 1], dtype=\"i64\"))))", "-9223372036854775808\n"),
    ]
}
