import TenshEngine

/// What `load_image(path, mode=)` returns: the file's own channels, or a
/// conversion exactly as Pillow's `Image.convert` computes it.
public enum ImageMode: String, CaseIterable, Sendable {
    case keep, gray, rgb, rgba

    /// Channels of the result for an image stored with `stored` channels.
    func channels(stored: Int) -> Int {
        switch self {
        case .keep: return stored
        case .gray: return 1
        case .rgb: return 3
        case .rgba: return 4
        }
    }
}

extension RawImage {
    /// A float32 `[C, H, W]` tensor in [0, 1] (each sample over 255, or 65535 for 16-bit
    /// images), as torchvision's `to_tensor` lays it out. Gray is ITU-R 601-2 luma with
    /// Pillow's integer rounding, `(R*19595 + G*38470 + B*7471 + 0x8000) >> 16`, on
    /// 8-bit and 16-bit samples alike; alpha is dropped for gray and RGB and is opaque
    /// (or zero where a tRNS colour key matches) when added.
    func tensor(mode: ImageMode, op: String) throws -> Tensor {
        let outChannels = mode.channels(stored: channels)
        let out = try Tensor.uninitialized([outChannels, height, width], dtype: .float32, op: op)
        let plane = width * height
        let dst = out.storage.bytes.assumingMemoryBound(to: Float.self)
        let scale = sampleBytes == 2 ? Float(65535) : Float(255)
        let table = sampleBytes == 1 ? (0..<256).map { Float($0) / 255 } : [] // the exact quotients, looked up
        pixels.withUnsafeBytes { raw in
            if sampleBytes == 1, let src = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), copiesChannels(outChannels) {
                // The common case (an 8-bit image kept as it is, or losing its alpha): a table lookup per sample.
                table.withUnsafeBufferPointer { quotient in
                    for c in 0..<outChannels {
                        var s = src + c
                        for p in 0..<plane {
                            dst[c &* plane &+ p] = quotient[Int(s.pointee)]
                            s += channels
                        }
                    }
                }
                return
            }
            for p in 0..<plane {
                let values = converted(samples(raw, pixel: p), outChannels)
                for c in 0..<outChannels {
                    dst[c &* plane &+ p] = sampleBytes == 1 ? table[values[c]] : Float(values[c]) / scale
                }
            }
        }
        return out
    }

    /// Output channel c is stored channel c: the file's own channels, RGB from RGBA, gray from gray + alpha.
    private func copiesChannels(_ outChannels: Int) -> Bool {
        outChannels == channels || (channels == 4 && outChannels == 3) || (channels == 2 && outChannels == 1)
    }

    /// The pixel's samples as (r, g, b, a): gray is repeated in r, g and b.
    @inline(__always)
    private func samples(_ raw: UnsafeRawBufferPointer, pixel p: Int) -> SIMD4<Int> {
        func at(_ c: Int) -> Int {
            let k = (p &* channels &+ c) &* sampleBytes
            return sampleBytes == 1 ? Int(raw[k]) : Int(raw.loadUnaligned(fromByteOffset: k, as: UInt16.self))
        }
        if channels <= 2 {
            let g = at(0)
            let alpha = channels == 2 ? at(1) : (key?[0] == g ? 0 : maxValue)
            return SIMD4(g, g, g, alpha)
        }
        let (r, g, b) = (at(0), at(1), at(2))
        let alpha = channels == 4 ? at(3) : (key == [r, g, b] ? 0 : maxValue)
        return SIMD4(r, g, b, alpha)
    }

    /// The output samples: luma for one channel (gray stays gray), gray and alpha for two, else as is.
    @inline(__always)
    private func converted(_ s: SIMD4<Int>, _ outChannels: Int) -> SIMD4<Int> {
        switch outChannels {
        case 1: return SIMD4(channels <= 2 ? s[0] : (s[0] &* 19595 &+ s[1] &* 38470 &+ s[2] &* 7471 &+ 0x8000) >> 16, 0, 0, 0)
        case 2: return SIMD4(s[0], s[3], 0, 0)
        default: return s
        }
    }
}
