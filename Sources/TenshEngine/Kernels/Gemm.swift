/// BLIS-style packed GEMM in pure Swift: C = alpha·A·B + beta·C for float32
/// (SIMD16<Float>) and float64 (SIMD8<Double>) with arbitrary strides.
///
/// Loop nest (per task): K blocks of KC → pack B (KC x NC) → M blocks of MC →
/// pack A (MC x KC, stays in L2) → NR column panels (the KC x NR B micro-panel
/// stays in L1) → MR row panels → micro-kernel. Tasks are tiles of C, spread
/// over `threads`; each task packs its own operands into its own buffers.

enum GemmBlocking {
    /// Greatest depth of a packed block: a KC x NR B micro-panel is 32 KiB in
    /// float32 and float64 alike (NR halves), inside the 48 KiB L1d.
    static let kc = 256
    /// Rows of a packed A block: 384 x 256 floats = 384 KiB, well inside the 2 MiB L2.
    static let mc = 384
    /// Columns of a packed B block: KC x NC is 1 MiB (half the 2 MiB L2), so the
    /// block stays in L2 next to the A block while every row block streams it.
    static func nc<T>(_: T.Type) -> Int { (1 << 20) / (kc * MemoryLayout<T>.stride) }
}

/// C[m x n] = alpha · A[m x k] · B[k x n] + beta · C. `threads` tasks at most.
/// When k == 0, C = beta · C. beta == 0 overwrites C without reading it.
func gemm<T: GemmScalar>(m: Int, n: Int, k: Int, alpha: T, _ a: MatrixView<T>, _ b: MatrixView<T>,
                         beta: T, _ c: UnsafeMutablePointer<T>, rsC: Int, csC: Int, threads: Int = 1) {
    if m <= 0 || n <= 0 { return }
    if k <= 0 || alpha == 0 {
        scaleMatrix(c, m: m, n: n, rs: rsC, cs: csC, by: beta)
        return
    }
    let (mTile, nTile) = gemmTaskTiles(T.self, m: m, n: n, threads: max(threads, 1))
    let mTasks = (m + mTile - 1) / mTile, nTasks = (n + nTile - 1) / nTile
    let tasks = mTasks * nTasks
    let chunks = min(max(threads, 1), tasks)
    parallelFor(chunks, threads: chunks) { chunk in
        let kc = min(GemmBlocking.kc, k)
        let bufA = UnsafeMutablePointer<T>.allocate(capacity: roundUp(min(mTile, GemmBlocking.mc), GemmShape.mr) * kc)
        let bufB = UnsafeMutablePointer<T>.allocate(capacity: roundUp(nTile, GemmShape.nr(T.self)) * kc)
        let tile = UnsafeMutablePointer<T>.allocate(capacity: GemmShape.mr * GemmShape.nr(T.self))
        defer { bufA.deallocate(); bufB.deallocate(); tile.deallocate() }
        var t = chunk
        // Ctrl-C stops between tiles; callers check `Cancellation` after the call.
        while t < tasks && !Cancellation.isRequested {
            let i0 = (t / nTasks) * mTile, j0 = (t % nTasks) * nTile
            gemmTask(m: min(mTile, m - i0), n: min(nTile, n - j0), k: k, alpha: alpha,
                     a.offset(i0, 0), b.offset(0, j0), beta: beta, c + (i0 &* rsC &+ j0 &* csC),
                     rsC: rsC, csC: csC, bufA: bufA, bufB: bufB, tile: tile)
            t += chunks
        }
    }
}

/// How C is cut into tasks. Each task packs the B columns it covers once per
/// K block and all A rows it covers once per K block, so a task spanning all
/// rows (splitting only columns) packs B exactly once in total; splitting rows
/// as well would pack the same B columns again for every row tile. Columns are
/// split into at most NC-wide tiles, in a multiple of `threads` tiles when
/// there are enough column panels; otherwise rows are split too.
private func gemmTaskTiles<T: GemmScalar>(_: T.Type, m: Int, n: Int, threads: Int) -> (mTile: Int, nTile: Int) {
    let nr = GemmShape.nr(T.self)
    let panels = (n + nr - 1) / nr
    let minimumTiles = (n + GemmBlocking.nc(T.self) - 1) / GemmBlocking.nc(T.self)
    if panels >= threads || threads == 1 {
        let tiles = min(panels, roundUp(minimumTiles, threads))
        return (m, roundUp((n + tiles - 1) / tiles, nr))
    }
    // Too few columns for every thread: split rows across the threads instead.
    let rowTiles = min(threads, (m + GemmShape.mr - 1) / GemmShape.mr)
    return (roundUp((m + rowTiles - 1) / rowTiles, GemmShape.mr), roundUp((n + minimumTiles - 1) / minimumTiles, nr))
}

/// One tile of C, single-threaded, with caller-provided packing buffers.
private func gemmTask<T: GemmScalar>(m: Int, n: Int, k: Int, alpha: T, _ a: MatrixView<T>, _ b: MatrixView<T>,
                                     beta: T, _ c: UnsafeMutablePointer<T>, rsC: Int, csC: Int,
                                     bufA: UnsafeMutablePointer<T>, bufB: UnsafeMutablePointer<T>,
                                     tile: UnsafeMutablePointer<T>) {
    let mr = GemmShape.mr, nr = GemmShape.nr(T.self)
    // Equal K blocks (1024 = 4 x 256, 300 = 2 x 150): a short last block
    // would pay a full pass over C for little work.
    let kBlock = equalBlock(k, maximum: GemmBlocking.kc)
    var p0 = 0
    while p0 < k {
        let kc = min(kBlock, k - p0)
        let blockBeta = p0 == 0 ? beta : 1
        gemmPackB(b.offset(p0, 0), kc: kc, n: n, into: bufB)
        var i0 = 0
        while i0 < m {
            if Cancellation.isRequested { return } // one block is ~1 ms; callers check after
            let mc = min(GemmBlocking.mc, m - i0)
            gemmPackA(a.offset(i0, p0), m: mc, kc: kc, into: bufA)
            var jr = 0
            while jr < n {
                let panelB = bufB + (jr / nr) &* (kc &* nr)
                var ir = 0
                while ir < mc {
                    let rows = min(mr, mc - ir), cols = min(nr, n - jr)
                    let cTile = c + ((i0 &+ ir) &* rsC &+ jr &* csC), panelA = bufA + (ir / mr) &* (kc &* mr)
                    if rows == mr && cols == nr && csC == 1 {
                        prefetchTile(cTile, rs: rsC)
                        gemmMicroKernel(kc, panelA, panelB, into: cTile, rs: rsC, alpha: alpha, beta: blockBeta)
                    } else {
                        gemmMicroKernel(kc, panelA, panelB, into: tile, rs: nr, alpha: 1, beta: 0)
                        gemmStoreTile(tile, rows: rows, cols: cols, alpha: alpha, beta: blockBeta, cTile, rs: rsC, cs: csC)
                    }
                    ir &+= mr
                }
                jr &+= nr
            }
            i0 &+= mc
        }
        p0 &+= kc
    }
}

/// Asks for the MR x NR tile of C at `c` (every cache line of its rows) to be
/// brought into L1 for writing while the micro-kernel computes it. C is read
/// and written once per K block, and a tile written a block earlier has gone
/// to L3 by then: waiting for its loads and ownership after the last FMA was
/// about a fifth of the GEMM's time at 2048³ (`perf annotate`); about 2000
/// cycles of FMAs later the lines are in L1.
@inline(__always)
func prefetchTile<T: GemmScalar>(_ c: UnsafeMutablePointer<T>, rs: Int) {
    let rowBytes = rs &* MemoryLayout<T>.stride, tileRowBytes = GemmShape.nr(T.self) &* MemoryLayout<T>.stride
    var row = UnsafeRawPointer(c)
    for _ in 0..<GemmShape.mr {
        var offset = -(Int(bitPattern: row) & 63) // from the start of the row's first line
        while offset < tileRowBytes { prefetchForWriting(row + offset); offset &+= 64 }
        row += rowBytes
    }
}

/// C = beta · C (beta == 0 writes zeros without reading).
private func scaleMatrix<T: GemmScalar>(_ c: UnsafeMutablePointer<T>, m: Int, n: Int, rs: Int, cs: Int, by beta: T) {
    for i in 0..<m {
        for j in 0..<n {
            let p = c + (i &* rs &+ j &* cs)
            p.pointee = beta == 0 ? 0 : beta * p.pointee
        }
    }
}

@inline(__always) func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }

/// The largest block size ≤ maximum that cuts `k` into equal blocks.
func equalBlock(_ k: Int, maximum: Int) -> Int {
    let blocks = max(1, (k + maximum - 1) / maximum)
    return (k + blocks - 1) / blocks
}

/// Concrete entry points: generic code is only specialised inside this module,
/// so callers elsewhere (tests, other modules) use these.
func sgemm(m: Int, n: Int, k: Int, alpha: Float, _ a: MatrixView<Float>, _ b: MatrixView<Float>,
           beta: Float, _ c: UnsafeMutablePointer<Float>, rsC: Int, csC: Int, threads: Int = 1) {
    gemm(m: m, n: n, k: k, alpha: alpha, a, b, beta: beta, c, rsC: rsC, csC: csC, threads: threads)
}

func dgemm(m: Int, n: Int, k: Int, alpha: Double, _ a: MatrixView<Double>, _ b: MatrixView<Double>,
           beta: Double, _ c: UnsafeMutablePointer<Double>, rsC: Int, csC: Int, threads: Int = 1) {
    gemm(m: m, n: n, k: k, alpha: alpha, a, b, beta: beta, c, rsC: rsC, csC: csC, threads: threads)
}
