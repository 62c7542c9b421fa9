/// The weight gradient of a shallow stride-1 convolution (a first layer: one
/// to a few input channels, so K = C·Kh·Kw is below a micro-tile's worth):
///
///     gw[co, r] = Σ_n Σ_q pixels[n, co, q] · padded[n, offset(r) + q]
///
/// as og·K dot products over the output grid of ShiftedConv.swift. A GEMM
/// would leave most of a micro-tile empty (K = 9 fills 9 of 32 columns); here
/// every FMA is useful, four weight rows share each load of the gradient.

/// gw[Cout, C/groups, Kh, Kw] = Σ_n pixels[n] ⋆ image[n]; overwrites `gw`.
func convWeightGradShallowKernel<T: GemmScalar>(_ image: UnsafePointer<T>, _ pixels: UnsafePointer<T>,
                                                _ gw: UnsafeMutablePointer<T>, _ g: ConvGeometry, op: String) throws {
    let layout = ShiftedLayout(g, nr: GemmShape.nr(T.self))
    let k = g.columnRows, og = g.outChannelsPerGroup, cg = g.channelsPerGroup
    let wCount = g.outChannels * k, threads = max(1, EngineConfig.threads)
    gw.update(repeating: 0, count: wCount)
    if g.batch == 0 || g.outPixels == 0 || k == 0 { return }
    let offsets = shiftOffsets(g, layout, elementSize: 1)
    defer { offsets.deallocate() }
    let partials = UnsafeMutablePointer<T>.allocate(capacity: threads * wCount)
    defer { partials.deallocate() }
    partials.update(repeating: 0, count: threads * wCount)
    let imageElements = cg * layout.channelElements + layout.slack
    try runConvTasks(T.self, tasks: g.batch * g.groups, workspace: imageElements + og * layout.gridPixels,
                     op: op) { t, chunk, ws in
        let n = t / g.groups, gi = t % g.groups
        padPlanes(image + (n * g.channels + gi * cg) * g.imagePixels, count: cg, g, layout, into: ws)
        fillZero(ws + cg * layout.channelElements, count: layout.slack)
        let grid = ws + imageElements
        placeOnGrid(pixels + (n * g.outChannels + gi * og) * g.outPixels, channels: og, g, layout, into: grid)
        let acc = partials + chunk * wCount + gi * og * k
        for co in 0..<og {
            var r = 0
            while r < k {
                dotFour(grid + co * layout.gridPixels, ws, offsets + r, rows: min(4, k - r), count: layout.gridPixels,
                        into: acc + co * k + r)
                r += 4
            }
        }
    }
    for c in 0..<threads {
        let part = partials + c * wCount
        for i in 0..<wCount { gw[i] += part[i] }
    }
}

/// out[i] += Σ_q d[q] · base[offsets[i] + q] for i < rows (≤ 4); `count` is a multiple of the vector width.
@inline(__always)
private func dotFour<T: GemmScalar>(_ d: UnsafePointer<T>, _ base: UnsafePointer<T>, _ offsets: UnsafePointer<Int>,
                                    rows: Int, count: Int, into out: UnsafeMutablePointer<T>) {
    typealias V = T.Vector
    let w = V.scalarCount
    // Missing rows repeat row 0 (in bounds); their sums are dropped.
    let x0 = UnsafeRawPointer(base + offsets[0]), x1 = UnsafeRawPointer(base + offsets[rows > 1 ? 1 : 0])
    let x2 = UnsafeRawPointer(base + offsets[rows > 2 ? 2 : 0]), x3 = UnsafeRawPointer(base + offsets[rows > 3 ? 3 : 0])
    let dv = UnsafeRawPointer(d)
    // Two vectors a step: eight independent FMA chains hide the FMA latency.
    var a0 = V(), a1 = V(), a2 = V(), a3 = V(), b0 = V(), b1 = V(), b2 = V(), b3 = V()
    var byte = 0
    let end = count &* MemoryLayout<T>.stride, step = w &* MemoryLayout<T>.stride
    while byte &+ step < end {
        let u = dv.loadUnaligned(fromByteOffset: byte, as: V.self)
        let v = dv.loadUnaligned(fromByteOffset: byte &+ step, as: V.self)
        a0.addProduct(u, x0.loadUnaligned(fromByteOffset: byte, as: V.self))
        a1.addProduct(u, x1.loadUnaligned(fromByteOffset: byte, as: V.self))
        a2.addProduct(u, x2.loadUnaligned(fromByteOffset: byte, as: V.self))
        a3.addProduct(u, x3.loadUnaligned(fromByteOffset: byte, as: V.self))
        b0.addProduct(v, x0.loadUnaligned(fromByteOffset: byte &+ step, as: V.self))
        b1.addProduct(v, x1.loadUnaligned(fromByteOffset: byte &+ step, as: V.self))
        b2.addProduct(v, x2.loadUnaligned(fromByteOffset: byte &+ step, as: V.self))
        b3.addProduct(v, x3.loadUnaligned(fromByteOffset: byte &+ step, as: V.self))
        byte &+= 2 &* step
    }
    if byte < end {
        let u = dv.loadUnaligned(fromByteOffset: byte, as: V.self)
        a0.addProduct(u, x0.loadUnaligned(fromByteOffset: byte, as: V.self))
        a1.addProduct(u, x1.loadUnaligned(fromByteOffset: byte, as: V.self))
        a2.addProduct(u, x2.loadUnaligned(fromByteOffset: byte, as: V.self))
        a3.addProduct(u, x3.loadUnaligned(fromByteOffset: byte, as: V.self))
    }
    out[0] += (a0 + b0).sum()
    if rows > 1 { out[1] += (a1 + b1).sum() }
    if rows > 2 { out[2] += (a2 + b2).sum() }
    if rows > 3 { out[3] += (a3 + b3).sum() }
}

/// grid[co][q] = pixels[co, oy, ox] at q = oy·wp + ox, zero elsewhere on the grid.
private func placeOnGrid<T: GemmScalar>(_ pixels: UnsafePointer<T>, channels: Int, _ g: ConvGeometry,
                                        _ layout: ShiftedLayout, into grid: UnsafeMutablePointer<T>) {
    for co in 0..<channels {
        let dst = grid + co * layout.gridPixels, src = pixels + co * g.outPixels
        for oy in 0..<g.outHeight {
            let row = dst + oy * layout.wp
            copyElements(src + oy * g.outWidth, to: row, count: g.outWidth)
            fillZero(row + g.outWidth, count: layout.wp - g.outWidth)
        }
        fillZero(dst + g.outHeight * layout.wp, count: layout.gridPixels - g.outHeight * layout.wp)
    }
}
