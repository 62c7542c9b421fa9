import TenshEngine

/// SGEMM cases: square sizes and two conv-shaped products (the im2col GEMMs of c2 and c3).
func gemmCases() -> [BenchCase] {
    let shapes: [(String, Int, Int, Int)] = [
        ("sgemm-256", 256, 256, 256), ("sgemm-1024", 1024, 1024, 1024), ("sgemm-2048", 2048, 2048, 2048),
        // c2 as GEMM per image: [64 x 576] · [576 x 3136]
        ("sgemm-conv3x3", 64, 576, 3136),
        // c3 as GEMM per image: [64 x 256] · [256 x 3136]
        ("sgemm-conv1x1", 64, 256, 3136),
    ]
    return shapes.map { name, m, k, n in
        BenchCase(name: name, flops: 2 * Double(m) * Double(k) * Double(n)) {
            let a = try benchTensor([m, k], seed: 1), b = try benchTensor([k, n], seed: 2)
            return { try matmul(a, b) }
        }
    }
}
