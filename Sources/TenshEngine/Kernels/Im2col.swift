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
                            var ox = a
                            while ox < b { dst[ox &- ox0] = src[ox &* g.strideW &+ xOffset]; ox &+= 1 }
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
