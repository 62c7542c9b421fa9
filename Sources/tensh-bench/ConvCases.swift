import TenshEngine

/// The conv shapes c1–c9 of PERFORMANCE.md, forward and backward.
struct ConvShape {
    let name: String, n: Int, cin: Int, cout: Int, size: Int, kernel: Int, stride: Int, padding: Int
    var depthwise = false, transpose = false
    /// Backward computes only the weight gradient (first layers: the image needs none).
    var weightOnly = false

    var outSize: Int {
        transpose ? (size - 1) * stride - 2 * padding + kernel : (size + 2 * padding - kernel) / stride + 1
    }
    var forwardFlops: Double {
        let inPerGroup = depthwise ? 1 : cin
        let spatial = transpose ? size * size : outSize * outSize
        let fanOut = transpose ? cout : cout
        return 2 * Double(n) * Double(fanOut) * Double(spatial) * Double(inPerGroup) * Double(kernel * kernel)
    }
    /// float32 bytes of input, weight and output of the forward (the memory target's base).
    var tensorBytes: Int {
        let weight = (transpose ? cin * cout : cout * (depthwise ? 1 : cin)) * kernel * kernel
        return 4 * (n * cin * size * size + weight + n * cout * outSize * outSize)
    }
}

let convShapes: [ConvShape] = [
    ConvShape(name: "c1", n: 1, cin: 3, cout: 64, size: 224, kernel: 7, stride: 2, padding: 3, weightOnly: true),
    ConvShape(name: "c2", n: 8, cin: 64, cout: 64, size: 56, kernel: 3, stride: 1, padding: 1),
    ConvShape(name: "c3", n: 8, cin: 256, cout: 64, size: 56, kernel: 1, stride: 1, padding: 0),
    ConvShape(name: "c4", n: 8, cin: 128, cout: 256, size: 28, kernel: 3, stride: 2, padding: 1),
    ConvShape(name: "c5", n: 8, cin: 128, cout: 128, size: 56, kernel: 3, stride: 1, padding: 1, depthwise: true),
    ConvShape(name: "c6", n: 8, cin: 128, cout: 64, size: 16, kernel: 4, stride: 2, padding: 1, transpose: true),
    ConvShape(name: "c7", n: 32, cin: 64, cout: 64, size: 32, kernel: 3, stride: 1, padding: 1),
    ConvShape(name: "c8", n: 64, cin: 1, cout: 32, size: 28, kernel: 3, stride: 1, padding: 1, weightOnly: true),
    ConvShape(name: "c9", n: 1, cin: 64, cout: 64, size: 56, kernel: 3, stride: 1, padding: 1),
]

private func forward(_ s: ConvShape, _ x: Tensor, _ w: Tensor) throws -> Tensor {
    if s.transpose { return try convTranspose2d(x, w, stride: [s.stride, s.stride], padding: [s.padding, s.padding]) }
    if s.depthwise { return try depthwiseConv2d(x, w, stride: [s.stride, s.stride], padding: .explicit([s.padding, s.padding])) }
    return try conv2d(x, w, stride: [s.stride, s.stride], padding: .explicit([s.padding, s.padding]))
}

private func inputs(_ s: ConvShape) throws -> (Tensor, Tensor) {
    let x = try benchTensor([s.n, s.cin, s.size, s.size], seed: 1)
    let wShape = s.transpose ? [s.cin, s.cout, s.kernel, s.kernel]
        : [s.cout, s.depthwise ? 1 : s.cin, s.kernel, s.kernel]
    return (x, try benchTensor(wShape, seed: 2))
}

func convCases() -> [BenchCase] {
    convShapes.flatMap { s -> [BenchCase] in
        let fwd = BenchCase(name: "\(s.name)-fwd", flops: s.forwardFlops, tensorBytes: s.tensorBytes) {
            let (x, w) = try inputs(s)
            return { try forward(s, x, w) }
        }
        let bwd = BenchCase(name: "\(s.name)-bwd", flops: s.forwardFlops * (s.weightOnly ? 1 : 2)) {
            let (x0, w0) = try inputs(s)
            let x = try s.weightOnly ? x0 : x0.setRequiresGrad()
            let w = try w0.setRequiresGrad()
            let y = try forward(s, x, w)
            let gy = try benchTensor(y.shape, seed: 3)
            let wrt = s.weightOnly ? [w] : [x, w]
            return { try grad([y], wrt, gradOutputs: [gy]) as AnyObject }
        }
        return [fwd, bwd]
    }
}

/// The small-tensor autograd step of SPEC §5, 10,000 times:
/// y = sum(relu(conv2d(x, w, padding=1))) on a 1x1x8x8 image, then grad(y, w).
func autogradCases() -> [BenchCase] {
    [BenchCase(name: "autograd-small-x10000", flops: 0) {
        let x = try benchTensor([1, 1, 8, 8], seed: 1)
        let w = try benchTensor([1, 1, 3, 3], seed: 2).setRequiresGrad()
        return {
            var g: Tensor?
            for _ in 0..<10_000 {
                let y = try sum(relu(conv2d(x, w, padding: .explicit([1, 1]))))
                g = try grad(y, w)
            }
            return g as AnyObject
        }
    }]
}

/// `interpolate` bilinear (align_corners false), 2x up on 8 images of 64 channels of 56x56,
/// forward and the input gradient (its FLOPs are not counted: it is memory-bound).
func resampleCases() -> [BenchCase] {
    let prepare = { () throws -> (Tensor, (Tensor) throws -> Tensor) in
        let x = try benchTensor([8, 64, 56, 56], seed: 1)
        return (x, { try interpolate($0, scaleFactor: [2, 2], mode: .bilinear, alignCorners: false) })
    }
    let fwd = BenchCase(name: "bilinear-fwd", flops: 0) {
        let (x, up) = try prepare()
        return { try up(x) }
    }
    let bwd = BenchCase(name: "bilinear-bwd", flops: 0) {
        let (x0, up) = try prepare()
        let x = try x0.setRequiresGrad()
        let y = try up(x)
        let gy = try benchTensor(y.shape, seed: 3)
        return { try grad([y], [x], gradOutputs: [gy]) as AnyObject }
    }
    return [fwd, bwd]
}
