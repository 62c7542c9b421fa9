import TenshEngine
import TenshText

/// The convolution family, with torch.nn.functional's keywords:
/// conv1d, conv2d, depthwise_conv2d, conv_transpose1d, conv_transpose2d (alias deconv),
/// unfold, fold, pad. Images are [N, C, H, W] (or unbatched [C, H, W]).
enum ConvBuiltins {
    static let category = "Convolution"

    static let bias = BuiltinParameter.optional("b", .tensor, "none")
    static let stride = BuiltinParameter.optional("stride", .intPair, "1")
    static let dilation = BuiltinParameter.optional("dilation", .intPair, "1")
    static let groups = BuiltinParameter.optional("groups", .int, "1")
    static let padding = BuiltinParameter.optional("padding", .any, "0")
    static let paddingMode = BuiltinParameter.optional("padding_mode", .string, "\"zeros\"")
    static let inputs: [BuiltinParameter] = [.required("x", .tensor), .required("w", .tensor), bias]

    static let convTranspose2d = Builtin(
        "conv_transpose2d", category, inputs + [stride, .optional("padding", .intPair, "0"),
                                                .optional("output_padding", .intPair, "0"), groups, dilation],
        summary: "The transposed convolution (the gradient of conv2d with respect to its input), weight [C_in, C_out/groups, kh, kw]; "
            + "output (in - 1)·stride - 2·padding + dilation·(k - 1) + output_padding + 1.",
        example: "up = conv_transpose2d(x, w, stride=2, padding=1, output_padding=1)") { a in
        .tensor(try TenshEngine.convTranspose2d(try a.tensor("x"), try a.tensor("w"), bias: try a.optionalTensor("b"),
                                                stride: try a.ints("stride"), padding: try a.ints("padding"),
                                                outputPadding: try a.ints("output_padding"), groups: try a.int("groups"),
                                                dilation: try a.ints("dilation")))
    }

    static let all: [Builtin] = [
        Builtin("conv2d", category, inputs + [stride, padding, dilation, groups, paddingMode],
                summary: "2-d convolution (cross-correlation, as torch) of x [N, C_in, H, W] with w [C_out, C_in/groups, kh, kw]; "
                    + "padding an int, [h, w], [left, right, top, bottom], \"same\" or \"valid\"; "
                    + "padding_mode \"zeros\", \"reflect\", \"replicate\" or \"circular\".",
                example: "y = conv2d(x, w, b, stride=2, padding=\"same\")") { a in
            .tensor(try conv2d(try a.tensor("x"), try a.tensor("w"), bias: try a.optionalTensor("b"), stride: try a.ints("stride"),
                               padding: try convPadding(a), dilation: try a.ints("dilation"), groups: try a.int("groups"),
                               paddingMode: try padMode(a, "padding_mode")))
        },
        Builtin("conv1d", category, inputs + [stride, padding, dilation, groups, paddingMode],
                summary: "1-d convolution of x [N, C_in, L] with w [C_out, C_in/groups, k]; padding an int, [left, right], \"same\" or \"valid\".",
                example: "y = conv1d(x, w, padding=1)") { a in
            .tensor(try conv1d(try a.tensor("x"), try a.tensor("w"), bias: try a.optionalTensor("b"),
                               stride: try single(a, "stride"), padding: try convPadding(a), dilation: try single(a, "dilation"),
                               groups: try a.int("groups"), paddingMode: try padMode(a, "padding_mode")))
        },
        Builtin("depthwise_conv2d", category, inputs + [stride, padding, dilation, paddingMode],
                summary: "Each channel convolved with its own filter: w [C, 1, kh, kw] (conv2d with groups = C).",
                example: "y = depthwise_conv2d(x, w, padding=1)") { a in
            .tensor(try depthwiseConv2d(try a.tensor("x"), try a.tensor("w"), bias: try a.optionalTensor("b"),
                                        stride: try a.ints("stride"), padding: try convPadding(a), dilation: try a.ints("dilation"),
                                        paddingMode: try padMode(a, "padding_mode")))
        },
        Builtin("conv_transpose1d", category, inputs + [stride, .optional("padding", .int, "0"),
                                                        .optional("output_padding", .int, "0"), groups, dilation],
                summary: "The transposed 1-d convolution, weight [C_in, C_out/groups, k].",
                example: "y = conv_transpose1d(x, w, stride=2)") { a in
            .tensor(try convTranspose1d(try a.tensor("x"), try a.tensor("w"), bias: try a.optionalTensor("b"),
                                        stride: try single(a, "stride"), padding: try a.int("padding"),
                                        outputPadding: try a.int("output_padding"), groups: try a.int("groups"),
                                        dilation: try single(a, "dilation")))
        },
        convTranspose2d,
        convTranspose2d.alias("deconv"),
        Builtin("unfold", category, [.required("x", .tensor), .required("kernel_size", .intPair), dilation,
                                     .optional("padding", .intPair, "0"), stride],
                summary: "im2col: the sliding kh×kw blocks of x [N, C, H, W] as columns [N, C·kh·kw, L].",
                example: "cols = unfold(x, 3, padding=1)") { a in
            .tensor(try unfold(try a.tensor("x"), kernelSize: try a.ints("kernel_size"), dilation: try a.ints("dilation"),
                               padding: try a.ints("padding"), stride: try a.ints("stride")))
        },
        Builtin("fold", category, [.required("cols", .tensor), .required("output_size", .intPair), .required("kernel_size", .intPair),
                                   dilation, .optional("padding", .intPair, "0"), stride],
                summary: "col2im: sums columns [N, C·kh·kw, L] back into an image [N, C, H, W] of output_size (overlaps add).",
                example: "x2 = fold(cols, [8, 8], 3, padding=1)") { a in
            .tensor(try fold(try a.tensor("cols"), outputSize: try a.ints("output_size"), kernelSize: try a.ints("kernel_size"),
                             dilation: try a.ints("dilation"), padding: try a.ints("padding"), stride: try a.ints("stride")))
        },
        Builtin("pad", category, [.required("x", .tensor), .required("pad", .intPair), .optional("mode", .string, "\"constant\""),
                                  .optional("value", .number, "0")],
                summary: "Pads the last dims: [left, right] for the last, [left, right, top, bottom] for the last two; "
                    + "mode \"constant\" (value), \"reflect\", \"replicate\" or \"circular\".",
                example: "pad(x, [1, 1, 2, 0], mode=\"reflect\")") { a in
            .tensor(try pad(try a.tensor("x"), try a.ints("pad"), mode: try padMode(a, "mode"), value: try a.double("value")))
        },
    ]

    /// `padding=`: an int, a list of 2 or 4 ints, "same" or "valid".
    static func convPadding(_ a: Arguments) throws -> ConvPadding {
        switch a.value("padding") {
        case .string("same"): return .same
        case .string("valid"): return .valid
        case .string(let s):
            throw a.error("padding", "unknown padding \"\(Escaping.printable(s))\" (expected an int, a list of ints, \"same\" or \"valid\")"
                + Suggestions.hint(for: s, in: ["same", "valid"]))
        case let v where ParameterKind.intPair.accepts(v): return .explicit(try a.ints("padding"))
        case let v: throw a.error("padding", "argument 'padding' must be an int, a list of ints, \"same\" or \"valid\", got \(v.typeName)")
        }
    }

    /// "zeros" (conv's name for constant zero padding) or a `pad` mode.
    static func padMode(_ a: Arguments, _ name: String) throws -> PadMode {
        let s = try a.string(name)
        let names = name == "mode" ? PadMode.allCases.map(\.rawValue) : ["zeros", "reflect", "replicate", "circular"]
        if name == "padding_mode" && s == "zeros" { return .constant }
        guard names.contains(s), let mode = PadMode(rawValue: s) else {
            let expected = names.map { "\"\($0)\"" }.joined(separator: ", ")
            throw a.error(name, "unknown \(name) \"\(Escaping.printable(s))\" (expected \(expected))\(Suggestions.hint(for: s, in: names))")
        }
        return mode
    }

    /// A 1-d size given as an int or a one-element list.
    static func single(_ a: Arguments, _ name: String) throws -> Int {
        let values = try a.ints(name)
        guard values.count == 1 else { throw a.error(name, "\(name) of a 1-d op takes one value, got \(values)") }
        return values[0]
    }
}
