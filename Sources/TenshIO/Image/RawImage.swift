/// Decoded pixels as the file stores them, after palette expansion: `height`
/// rows of `width` pixels of `channels` interleaved samples (1 gray, 2 gray +
/// alpha, 3 RGB, 4 RGBA), each of `sampleBytes` bytes (2: 16-bit, host order).
struct RawImage {
    let width: Int
    let height: Int
    let channels: Int
    let sampleBytes: Int
    /// A gray or RGB colour that stands for "transparent" (a PNG tRNS key), on the sample scale.
    let key: [Int]?
    var pixels: [UInt8]

    /// 255 or 65535.
    var maxValue: Int { sampleBytes == 2 ? 65535 : 255 }
}

/// What the header of an image says, before anything is decoded.
struct ImageHeader {
    let width: Int
    let height: Int
    let channels: Int
    let sampleBytes: Int

    /// Bytes of the decoded samples, or nil when the product overflows.
    var pixelBytes: Int? {
        let (a, o1) = width.multipliedReportingOverflow(by: height)
        let (b, o2) = a.multipliedReportingOverflow(by: channels * sampleBytes)
        return o1 || o2 ? nil : b
    }
}
