import TenshText

/// Window geometry of `maxPool2d` / `avgPool2d`, following PyTorch's
/// `pooling_output_shape` and `pool2d_shape_check`.
struct PoolGeometry {
    let kernel: (Int, Int)
    let stride: (Int, Int)
    let padding: (Int, Int)
    let dilation: (Int, Int)
    let ceilMode: Bool
    let inH: Int, inW: Int
    let outH: Int, outW: Int

    /// Validates the arguments against the input's spatial size `[H, W]`.
    init(op: String, input: [Int], kernelSize: [Int], stride: [Int]?, padding: [Int], dilation: [Int],
         ceilMode: Bool) throws {
        let k = try pairArgument(kernelSize, op: op, name: "kernel_size")
        kernel = k
        if let stride, !stride.isEmpty { self.stride = try pairArgument(stride, op: op, name: "stride") } else { self.stride = k }
        self.padding = try pairArgument(padding, op: op, name: "padding")
        self.dilation = try pairArgument(dilation, op: op, name: "dilation")
        self.ceilMode = ceilMode
        inH = input[input.count - 2]
        inW = input[input.count - 1]
        // Bounded so that the size arithmetic below cannot overflow.
        let limit = 1 << 30
        for (name, v) in [("kernel_size", kernel), ("stride", self.stride), ("padding", self.padding), ("dilation", self.dilation)]
        where v.0 > limit || v.1 > limit {
            throw EngineError.invalid(op, name, "\(name) \(shapeText([v.0, v.1])) is too large (at most \(limit))")
        }
        guard kernel.0 > 0, kernel.1 > 0 else {
            throw EngineError.invalid(op, "kernel_size", "kernel size must be positive, got \(shapeText([kernel.0, kernel.1]))")
        }
        guard self.stride.0 > 0, self.stride.1 > 0 else {
            throw EngineError.invalid(op, "stride", "stride must be positive, got \(shapeText([self.stride.0, self.stride.1]))")
        }
        guard self.dilation.0 > 0, self.dilation.1 > 0 else {
            throw EngineError.invalid(op, "dilation", "dilation must be positive, got \(shapeText([self.dilation.0, self.dilation.1]))")
        }
        guard self.padding.0 >= 0, self.padding.1 >= 0 else {
            throw EngineError.invalid(op, "padding", "padding must be non-negative, got \(shapeText([self.padding.0, self.padding.1]))")
        }
        // torch's rule (pool2d_shape_check): wider padding would create windows that see only padding.
        guard self.padding.0 <= kernel.0 / 2, self.padding.1 <= kernel.1 / 2 else {
            throw EngineError.invalid(op, "padding",
                "padding should be at most half of the kernel size, got padding=\(shapeText([self.padding.0, self.padding.1])) for kernel_size=\(shapeText([kernel.0, kernel.1]))")
        }
        outH = Self.outputSize(inH, kernel.0, self.stride.0, self.padding.0, self.dilation.0, ceilMode)
        outW = Self.outputSize(inW, kernel.1, self.stride.1, self.padding.1, self.dilation.1, ceilMode)
        guard outH > 0, outW > 0 else {
            throw EngineError.invalid(op, "kernel_size",
                "input \(shapeText(input)) is too small for kernel_size=\(shapeText([kernel.0, kernel.1])) with padding=\(shapeText([self.padding.0, self.padding.1])), dilation=\(shapeText([self.dilation.0, self.dilation.1])): calculated output size \(outH)x\(outW)")
        }
    }

    /// torch: floor or ceil of (in + 2p - d(k-1) - 1)/s + 1; in ceil mode the last
    /// window must start inside the input or the left padding.
    static func outputSize(_ n: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int, _ ceilMode: Bool) -> Int {
        let span = n + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0)
        var out = floorDivide(span, s) + 1
        if ceilMode && (out - 1) * s >= n + p { out -= 1 }
        return out
    }

    var attributes: [(String, String)] {
        [("kernel_size", shapeText([kernel.0, kernel.1])), ("stride", shapeText([stride.0, stride.1])),
         ("padding", shapeText([padding.0, padding.1])), ("ceil_mode", "\(ceilMode)")]
    }

    /// Integer division rounding toward negative infinity (torch's `div_rtn`).
    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }
}
