import TenshText

/// The index relation shared by conv2d, its gradients, conv_transpose2d and
/// unfold/fold: an "image" side [N, C, H, W] and a "pixel" side [N, Cout, Ho, Wo]
/// linked by a weight [Cout, C/groups, Kh, Kw]:
///
///     pixels[n, co, oy, ox] = Σ weight[co, ci, ky, kx] · image[n, g·Cg + ci, iy, ix]
///     iy = oy·strideH − padTop + ky·dilationH,  ix = ox·strideW − padLeft + kx·dilationW
///
/// Positions outside the image read as zero (bottom/right padding is implicit
/// in Ho/Wo, which are stored rather than derived, so conv_transpose's
/// output_padding fits the same relation).
struct ConvGeometry: Equatable {
    var batch: Int
    var channels: Int, height: Int, width: Int
    var outChannels: Int, outHeight: Int, outWidth: Int
    var kernelH: Int, kernelW: Int
    var strideH: Int, strideW: Int
    var dilationH: Int, dilationW: Int
    var padTop: Int, padLeft: Int
    var groups: Int

    var channelsPerGroup: Int { channels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    /// Rows of a column matrix: one per (input channel of a group, ky, kx).
    var columnRows: Int { channelsPerGroup * kernelH * kernelW }
    var imagePixels: Int { height * width }
    var outPixels: Int { outHeight * outWidth }
    var imageShape: [Int] { [batch, channels, height, width] }
    var outShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    var weightShape: [Int] { [outChannels, channelsPerGroup, kernelH, kernelW] }

    /// A 1x1 kernel with stride 1 and no padding: the image is already the column matrix.
    var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0
            && outHeight == height && outWidth == width
    }

    /// Display attributes for the graph node.
    var attributes: [(String, String)] {
        [("stride", shapeText([strideH, strideW])), ("padding", shapeText([padTop, padLeft])),
         ("dilation", shapeText([dilationH, dilationW])), ("groups", "\(groups)")]
    }

    /// Output pixels per column tile, so a tile's column matrix stays near
    /// `budgetBytes` (bounded workspace, whatever the batch or image size).
    func pixelTile(elementSize: Int, budgetBytes: Int = 1 << 20) -> Int {
        let perPixel = max(1, columnRows * elementSize)
        let tile = max(128, budgetBytes / perPixel / 32 * 32)
        return max(1, min(outPixels, tile))
    }

    /// The range of ox whose input column kx·dilation + ox·stride − pad lies in [0, width).
    @inline(__always) func validColumns(kx: Int) -> (Int, Int) {
        validRange(offset: kx &* dilationW &- padLeft, stride: strideW, size: width, count: outWidth)
    }
}

/// o in [lo, hi) such that 0 <= offset + o·stride < size, clipped to [0, count).
@inline(__always)
func validRange(offset: Int, stride: Int, size: Int, count: Int) -> (Int, Int) {
    // lo = ceil(-offset / stride), hi = floor((size - 1 - offset) / stride) + 1
    let lo = offset >= 0 ? 0 : (-offset &+ stride &- 1) / stride
    let last = size &- 1 &- offset
    let hi = last < 0 ? 0 : last / stride &+ 1
    let a = min(max(lo, 0), count)
    return (a, max(a, min(hi, count))) // never an inverted range

}
