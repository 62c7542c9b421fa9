/// im2col and col2im on one image and one channel group, for a tile of output
/// pixels [p0, p0 + np). The column matrix has `columnRows` rows (ci, ky, kx)
/// and `np` columns (row stride `np`). col2im is the exact adjoint: it
/// scatter-adds each column entry back to the image position it came from.

/// cols[(ci·Kh + ky)·Kw + kx][p − p0] = image[ci, iy, ix] (0 outside), for channels
/// [0, channelCount) of `image` (channel stride `imagePixels`).
func im2colTile<T: GemmScalar>(_ image: UnsafePointer<T>, _ g: ConvGeometry, channelCount: Int,
                               p0: Int, np: Int, into cols: UnsafeMutablePointer<T>) {
    var row = cols
    for ci in 0..<channelCount {
        let plane = image + ci &* g.imagePixels
        for ky in 0..<g.kernelH {
            for kx in 0..<g.kernelW {
                let (lo, hi) = g.validColumns(kx: kx)
                let xOffset = kx &* g.dilationW &- g.padLeft
                var p = p0, q = 0
                while q < np {
                    let oy = p / g.outWidth, ox0 = p &- oy &* g.outWidth
                    let run = min(g.outWidth &- ox0, np &- q)
                    let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                    let dst = row + q
                    if iy < 0 || iy >= g.height {
                        for j in 0..<run { dst[j] = 0 }
                    } else {
                        let src = plane + iy &* g.width
                        let a = min(max(lo, ox0), ox0 &+ run), b = max(a, min(hi, ox0 &+ run))
                        for j in 0..<(a &- ox0) { dst[j] = 0 }
                        if g.strideW == 1 {
                            (dst + (a &- ox0)).update(from: src + (a &+ xOffset), count: b &- a)
                        } else {
                            gatherStrided(src + (a &* g.strideW &+ xOffset), stride: g.strideW,
                                          into: dst + (a &- ox0), count: b &- a)
                        }
                        for j in (b &- ox0)..<run { dst[j] = 0 }
                    }
                    p &+= run; q &+= run
                }
                row += np
            }
        }
    }
}

/// image[ci, iy, ix] += cols[(ci·Kh + ky)·Kw + kx][p − p0] for every in-bounds position.
func col2imTile<T: GemmScalar>(_ cols: UnsafePointer<T>, _ g: ConvGeometry, channelCount: Int,
                               p0: Int, np: Int, into image: UnsafeMutablePointer<T>) {
    var row = cols
    for ci in 0..<channelCount {
        let plane = image + ci &* g.imagePixels
        for ky in 0..<g.kernelH {
            for kx in 0..<g.kernelW {
                let (lo, hi) = g.validColumns(kx: kx)
                let xOffset = kx &* g.dilationW &- g.padLeft
                var p = p0, q = 0
                while q < np {
                    let oy = p / g.outWidth, ox0 = p &- oy &* g.outWidth
                    let run = min(g.outWidth &- ox0, np &- q)
                    let iy = oy &* g.strideH &- g.padTop &+ ky &* g.dilationH
                    if iy >= 0 && iy < g.height {
                        let dst = plane + iy &* g.width, src = row + q
                        let a = max(lo, ox0), b = min(hi, ox0 &+ run)
                        scatterAdd(src + (a &- ox0), into: dst + (a &* g.strideW &+ xOffset), stride: g.strideW,
                                   count: b &- a)
                    }
                    p &+= run; q &+= run
                }
                row += np
            }
        }
    }
}

/// The planes that the convolution's col2im adds into, stored by column phase:
/// padded row r holds `phases` (= strideW) runs of `phaseWidth`, run b holding
/// the padded columns b, b + strideW, ... Every position a column entry reaches,
/// (oy·strideH + ky·dilationH, ox·strideW + kx·dilationW), lies inside, and
/// consecutive ox land on consecutive elements of one run: col2im adds whole
/// contiguous rows with no bounds checks, whatever the stride. The image is the
/// window at (padTop, padLeft), copied out (re-interleaved) at the end.
struct PaddedPlanes {
    let height: Int, phases: Int, phaseWidth: Int
    var plane: Int { height * phases * phaseWidth }

    init(_ g: ConvGeometry) {
        height = max(g.height + g.padTop, (g.outHeight - 1) * g.strideH + (g.kernelH - 1) * g.dilationH + 1)
        phases = g.strideW
        phaseWidth = max(g.outWidth + (g.kernelW - 1) * g.dilationW / g.strideW,
                         (g.width + g.padLeft + g.strideW - 1) / g.strideW)
    }
}

/// planes[ci][oy·sH + ky·dH][ox·sW + kx·dW] += cols[(ci·Kh + ky)·Kw + kx][p − p0]: col2im into
/// `PaddedPlanes`, one contiguous vector add per output row run. Rows of `cols` are `rowStride` apart.
func col2imPaddedTile<T: GemmScalar>(_ cols: UnsafePointer<T>, _ g: ConvGeometry, channelCount: Int, p0: Int,
                                     np: Int, rowStride: Int, _ padded: PaddedPlanes, into planes: UnsafeMutablePointer<T>) {
    var row = cols
    for ci in 0..<channelCount {
        let plane = planes + ci * padded.plane
        for ky in 0..<g.kernelH {
            for kx in 0..<g.kernelW {
                // Column ox·sW + kx·dW is element ox + shift of phase b's run.
                let b = kx * g.dilationW % g.strideW, shift = kx * g.dilationW / g.strideW
                var oy = p0 / g.outWidth, ox0 = p0 - oy * g.outWidth, q = 0
                while q < np {
                    let run = min(g.outWidth &- ox0, np &- q)
                    let at = ((oy &* g.strideH &+ ky &* g.dilationH) &* padded.phases &+ b) &* padded.phaseWidth
                    addElements(row + q, into: plane + (at &+ ox0 &+ shift), count: run)
                    q &+= run; oy &+= 1; ox0 = 0
                }
                row += rowStride
            }
        }
    }
}

/// image[c, iy, ix] = planes[c][iy + padTop][ix + padLeft] for c < channelCount: the image
/// window of `PaddedPlanes`, re-interleaved from its column phases.
func copyImageWindow<T: GemmScalar>(_ planes: UnsafePointer<T>, _ padded: PaddedPlanes, _ g: ConvGeometry,
                                    channelCount: Int, into image: UnsafeMutablePointer<T>) {
    let s = g.strideW
    for c in 0..<channelCount {
        for iy in 0..<g.height {
            let dst = image + (c * g.height + iy) * g.width
            let runs = planes + c * padded.plane + (iy + g.padTop) * s * padded.phaseWidth
            if s == 1 {
                copyElements(runs + g.padLeft, to: dst, count: g.width)
            } else if s == 2 {
                interleaveRows(runs, runs + padded.phaseWidth, from: g.padLeft, count: g.width, into: dst)
            } else {
                for b in 0..<s {
                    // The image columns ix ≡ b − padLeft (mod s), from phase b's run.
                    let ix0 = ((b - g.padLeft) % s + s) % s
                    guard ix0 < g.width else { continue }
                    scatterStrided(runs + b * padded.phaseWidth + (ix0 + g.padLeft) / s, into: dst + ix0, stride: s,
                                   count: (g.width - 1 - ix0) / s + 1)
                }
            }
        }
    }
}

/// dst[i] = padded column x = x0 + i of a row stored as its even and odd columns, i < count.
@inline(__always)
private func interleaveRows<T: GemmScalar>(_ even: UnsafePointer<T>, _ odd: UnsafePointer<T>, from x0: Int, count: Int,
                                           into dst: UnsafeMutablePointer<T>) {
    var i = 0
    if x0 & 1 == 1 && count > 0 { dst[0] = odd[x0 >> 1]; i = 1 }
    // Pairs (even, odd) of columns x0 + i, x0 + i + 1.
    let e = even + ((x0 &+ i) >> 1), o = odd + ((x0 &+ i) >> 1), d = dst + i, pairs = (count &- i) >> 1
    var j = 0
    if T.self == Float.self {
        // Built from the lanes of two vectors, which the compiler turns into one two-source shuffle.
        let er = UnsafeRawPointer(e), or = UnsafeRawPointer(o), dr = UnsafeMutableRawPointer(d)
        while j &+ 8 <= pairs {
            let a = er.loadUnaligned(fromByteOffset: 4 &* j, as: SIMD8<Float>.self)
            let b = or.loadUnaligned(fromByteOffset: 4 &* j, as: SIMD8<Float>.self)
            let v = SIMD16<Float>(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3],
                                  a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
            dr.storeBytes(of: v, toByteOffset: 8 &* j, as: SIMD16<Float>.self)
            j &+= 8
        }
        while j &+ 4 <= pairs {
            let a = er.loadUnaligned(fromByteOffset: 4 &* j, as: SIMD4<Float>.self)
            let b = or.loadUnaligned(fromByteOffset: 4 &* j, as: SIMD4<Float>.self)
            dr.storeBytes(of: SIMD8<Float>(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]), toByteOffset: 8 &* j,
                          as: SIMD8<Float>.self)
            j &+= 4
        }
    }
    while j < pairs {
        d[2 &* j] = e[j]
        d[2 &* j &+ 1] = o[j]
        j &+= 1
    }
    if (count &- i) & 1 == 1 { d[2 &* pairs] = e[pairs] }
}
