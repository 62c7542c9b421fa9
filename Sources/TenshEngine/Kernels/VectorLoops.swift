/// Short SIMD loops over runs of elements, shared by the convolution kernels:
/// copy, zero-fill, a strided gather and its adjoint, a strided scatter-add.
/// The runs are image rows of a few hundred bytes, where a call to memmove or
/// memset costs as much as the work.

/// dst[0..<count] = src[0..<count] in SIMD vectors.
@inline(__always)
func copyElements<T: GemmScalar>(_ src: UnsafePointer<T>, to dst: UnsafeMutablePointer<T>, count: Int) {
    let w = T.Vector.scalarCount
    var i = 0
    while i &+ w <= count {
        UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: T.Vector.self),
                                                    as: T.Vector.self)
        i &+= w
    }
    // The tail of a short row (an 8x8 or 4x4 image is all tail): 32, 16 and 8 bytes at a time.
    let s = UnsafeRawPointer(src + i), d = UnsafeMutableRawPointer(dst + i)
    let bytes = (count &- i) &* MemoryLayout<T>.stride
    var b = 0
    if b &+ 32 <= bytes { d.storeBytes(of: s.loadUnaligned(as: SIMD4<UInt64>.self), as: SIMD4<UInt64>.self); b = 32 }
    if b &+ 16 <= bytes {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: b, as: SIMD2<UInt64>.self), toByteOffset: b, as: SIMD2<UInt64>.self)
        b &+= 16
    }
    if b &+ 8 <= bytes {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: b, as: UInt64.self), toByteOffset: b, as: UInt64.self)
        b &+= 8
    }
    if b < bytes {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: b, as: UInt32.self), toByteOffset: b, as: UInt32.self)
    }
}

/// dst[0..<count] = 0 in SIMD vectors.
@inline(__always)
func fillZero<T: GemmScalar>(_ dst: UnsafeMutablePointer<T>, count: Int) {
    let w = T.Vector.scalarCount
    var i = 0
    while i &+ w <= count {
        UnsafeMutableRawPointer(dst + i).storeBytes(of: T.Vector(), as: T.Vector.self)
        i &+= w
    }
    // The tail, as in `copyElements`.
    let d = UnsafeMutableRawPointer(dst + i)
    let bytes = (count &- i) &* MemoryLayout<T>.stride
    var b = 0
    if b &+ 32 <= bytes { d.storeBytes(of: SIMD4<UInt64>(), as: SIMD4<UInt64>.self); b = 32 }
    if b &+ 16 <= bytes { d.storeBytes(of: SIMD2<UInt64>(), toByteOffset: b, as: SIMD2<UInt64>.self); b &+= 16 }
    if b &+ 8 <= bytes { d.storeBytes(of: UInt64(0), toByteOffset: b, as: UInt64.self); b &+= 8 }
    if b < bytes { d.storeBytes(of: UInt32(0), toByteOffset: b, as: UInt32.self) }
}

/// dst[j] = src[stride·j] for j < count. Float with stride 2 (the common
/// downsampling conv) splits 32-float loads into their even lanes instead of
/// gathering one element at a time; the short rows of small images (14 of a
/// 28-wide row) step down to 16- and 8-float loads before the scalar tail.
@inline(__always)
func gatherStrided<T: GemmScalar>(_ src: UnsafePointer<T>, stride: Int, into dst: UnsafeMutablePointer<T>,
                                  count: Int) {
    var j = 0
    if stride == 2 && T.self == Float.self {
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        // The last pair's odd element may lie past the row: stop one vector early.
        while 2 &* (j &+ 16) <= 2 &* count &- 1 {
            let pair = s.loadUnaligned(fromByteOffset: 8 &* j, as: SIMD32<Float>.self)
            d.storeBytes(of: pair.evenHalf, toByteOffset: 4 &* j, as: SIMD16<Float>.self)
            j &+= 16
        }
        if 2 &* (j &+ 8) <= 2 &* count &- 1 {
            let pair = s.loadUnaligned(fromByteOffset: 8 &* j, as: SIMD16<Float>.self)
            d.storeBytes(of: pair.evenHalf, toByteOffset: 4 &* j, as: SIMD8<Float>.self)
            j &+= 8
        }
        if 2 &* (j &+ 4) <= 2 &* count &- 1 {
            let pair = s.loadUnaligned(fromByteOffset: 8 &* j, as: SIMD8<Float>.self)
            d.storeBytes(of: pair.evenHalf, toByteOffset: 4 &* j, as: SIMD4<Float>.self)
            j &+= 4
        }
    }
    while j < count { dst[j] = src[stride &* j]; j &+= 1 }
}

/// dst[0..<count] += src[0..<count] in SIMD vectors.
@inline(__always)
func addElements<T: GemmScalar>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, count: Int) {
    let w = T.Vector.scalarCount
    var i = 0
    while i &+ w <= count {
        let sum = UnsafeRawPointer(dst + i).loadUnaligned(as: T.Vector.self)
            + UnsafeRawPointer(src + i).loadUnaligned(as: T.Vector.self)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: sum, as: T.Vector.self)
        i &+= w
    }
    if T.self == Float.self {
        // Short float32 runs (the 14-pixel rows of a 28x28 stride-2 gradient): 8, then 4 at a time.
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        if i &+ 8 <= count {
            let sum = d.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
                + s.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD8<Float>.self)
            d.storeBytes(of: sum, toByteOffset: 4 &* i, as: SIMD8<Float>.self)
            i &+= 8
        }
        if i &+ 4 <= count {
            let sum = d.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD4<Float>.self)
                + s.loadUnaligned(fromByteOffset: 4 &* i, as: SIMD4<Float>.self)
            d.storeBytes(of: sum, toByteOffset: 4 &* i, as: SIMD4<Float>.self)
            i &+= 4
        }
    }
    while i < count { dst[i] = dst[i] + src[i]; i &+= 1 }
}

/// dst[stride·j] = src[j] for j < count (contiguous copy at stride 1).
@inline(__always)
func scatterStrided<T: GemmScalar>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, stride: Int,
                                   count: Int) {
    if stride == 1 { return copyElements(src, to: dst, count: count) }
    var j = 0
    while j < count { dst[stride &* j] = src[j]; j &+= 1 }
}

/// dst[stride·j] += src[j] for j < count. Float with stride 2 (the input
/// gradient of a downsampling conv, a 2x upsampling conv_transpose) adds 16
/// values into the even lanes of a 32-float vector instead of one at a time.
@inline(__always)
func scatterAdd<T: GemmScalar>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, stride: Int,
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
