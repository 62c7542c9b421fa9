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
                        // Zeros left of the image, a (strided) copy, zeros right of it.
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

/// dst[stride·j] += src[j] for j < count. Float with stride 2 (the input
/// gradient of a downsampling conv, a 2x upsampling conv_transpose) adds 16
/// values into the even lanes of a 32-float vector instead of one at a time.
@inline(__always)
private func scatterAdd<T: GemmScalar>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, stride: Int,
                                       count: Int) {
    var j = 0
    if stride == 2 && T.self == Float.self {
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        // A window of 2w floats may not reach past the last element written (its
        // odd lanes are written back unchanged; past the end they may belong to
        // another task), so short runs (conv_transpose rows of 16) step down to
        // narrower windows before the scalar tail.
        while 2 &* (j &+ 16) <= 2 &* count &- 1 {
            var pair = d.loadUnaligned(fromByteOffset: 8 &* j, as: SIMD32<Float>.self)
            pair.evenHalf += s.loadUnaligned(fromByteOffset: 4 &* j, as: SIMD16<Float>.self)
            d.storeBytes(of: pair, toByteOffset: 8 &* j, as: SIMD32<Float>.self)
            j &+= 16
        }
        if 2 &* (j &+ 8) <= 2 &* count &- 1 {
            var pair = d.loadUnaligned(fromByteOffset: 8 &* j, as: SIMD16<Float>.self)
            pair.evenHalf += s.loadUnaligned(fromByteOffset: 4 &* j, as: SIMD8<Float>.self)
            d.storeBytes(of: pair, toByteOffset: 8 &* j, as: SIMD16<Float>.self)
            j &+= 8
        }
        if 2 &* (j &+ 4) <= 2 &* count &- 1 {
            var pair = d.loadUnaligned(fromByteOffset: 8 &* j, as: SIMD8<Float>.self)
            pair.evenHalf += s.loadUnaligned(fromByteOffset: 4 &* j, as: SIMD4<Float>.self)
            d.storeBytes(of: pair, toByteOffset: 8 &* j, as: SIMD8<Float>.self)
            j &+= 4
        }
    }
    while j < count { dst[stride &* j] = dst[stride &* j] + src[j]; j &+= 1 }
}
