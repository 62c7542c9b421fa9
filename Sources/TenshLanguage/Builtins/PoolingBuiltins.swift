import TenshEngine

/// max_pool2d, avg_pool2d, adaptive_avg_pool2d on [N, C, H, W] (or [C, H, W]); interpolate and
/// upsample are in ResizeBuiltins.
/// Sizes are an int (both axes) or [h, w], as in torch.nn.functional.
enum PoolingBuiltins {
    static let category = "Pooling and upsampling"

    static let all: [Builtin] = [
        Builtin("max_pool2d", category, [.required("x", .tensor), .required("kernel_size", .intPair),
                                         .optional("stride", .intPair, "none"), .optional("padding", .intPair, "0"),
                                         .optional("dilation", .intPair, "1"), .optional("ceil_mode", .bool, "false"),
                                         .optional("return_indices", .bool, "false")],
                summary: "The maximum of each window (stride defaults to kernel_size; padding counts as -inf); "
                    + "with return_indices the list [output, indices] (flat h·W + w positions).",
                example: "max_pool2d(x, 2)") { a in
            let x = try a.tensor("x")
            let stride = a.isGiven("stride") ? try a.ints("stride") : nil
            let (out, indices) = try maxPool2dWithIndices(x, kernelSize: try a.ints("kernel_size"), stride: stride,
                                                          padding: try a.ints("padding"), dilation: try a.ints("dilation"),
                                                          ceilMode: try a.bool("ceil_mode"))
            return try a.bool("return_indices") ? .list([.tensor(out), .tensor(indices)]) : .tensor(out)
        },
        Builtin("avg_pool2d", category, [.required("x", .tensor), .required("kernel_size", .intPair),
                                         .optional("stride", .intPair, "none"), .optional("padding", .intPair, "0"),
                                         .optional("ceil_mode", .bool, "false"), .optional("count_include_pad", .bool, "true")],
                summary: "The mean of each window (stride defaults to kernel_size); count_include_pad counts zero padding in the divisor.",
                example: "avg_pool2d(x, 3, stride=1, padding=1)") { a in
            let stride = a.isGiven("stride") ? try a.ints("stride") : nil
            return .tensor(try avgPool2d(try a.tensor("x"), kernelSize: try a.ints("kernel_size"), stride: stride,
                                         padding: try a.ints("padding"), ceilMode: try a.bool("ceil_mode"),
                                         countIncludePad: try a.bool("count_include_pad")))
        },
        Builtin("adaptive_avg_pool2d", category, [.required("x", .tensor), .required("output_size", .intPair)],
                summary: "Averages over windows chosen so the output is output_size (an int or [h, w]).",
                example: "adaptive_avg_pool2d(x, 1)") { a in
            .tensor(try adaptiveAvgPool2d(try a.tensor("x"), outputSize: try a.ints("output_size")))
        },
    ]
}
