import TenshEngine

/// What each built-in layer computes, with the engine's ops, reading its
/// parameters and buffers from the module by PyTorch's names.
extension Module {
    func layerForward(_ layer: Layer, _ x: Tensor) throws -> Tensor {
        switch layer {
        case .conv(let s): return try convForward(s, x)
        case .linear: return try linear(x, required("weight"), bias: optionalParameter("bias"))
        case .batchNorm(let s): return try batchNormForward(s, x)
        case .dropout(let p, let channels):
            return channels ? try dropout2d(x, p: p, train: training) : try dropout(x, p: p, train: training)
        case .activation(let a): return try activation(a, x)
        case .maxPool2d(let s):
            return try maxPool2d(x, kernelSize: s.kernelSize.expanded(2), stride: s.stride.expanded(2), padding: s.padding.expanded(2),
                                 dilation: s.dilation.expanded(2), ceilMode: s.ceilMode)
        case .avgPool2d(let s):
            return try avgPool2d(x, kernelSize: s.kernelSize.expanded(2), stride: s.stride.expanded(2), padding: s.padding.expanded(2),
                                 ceilMode: s.ceilMode, countIncludePad: s.countIncludePad)
        case .adaptiveAvgPool2d(let size): return try adaptiveAvgPool2d(x, outputSize: size.expanded(2))
        case .flatten(let start, let end): return try x.flattened(startDim: start, endDim: end)
        case .upsample(let size, let scale, _, let mode):
            return try interpolate(x, size: size?.expanded(2), scaleFactor: scale, mode: mode)
        case .softmax(let dim, let log): return log ? try logSoftmax(x, dim: dim) : try softmax(x, dim: dim)
        }
    }

    private func required(_ name: String) throws -> Tensor {
        guard let t = parameter(name) ?? buffer(name), let t else {
            throw RuntimeError("\(typeName) has no \(name) (it was set to none)")
        }
        return t
    }

    private func optionalParameter(_ name: String) -> Tensor? {
        (parameter(name) ?? nil) ?? nil
    }

    private func optionalBuffer(_ name: String) -> Tensor? {
        (buffer(name) ?? nil) ?? nil
    }

    private func activation(_ a: Activation, _ x: Tensor) throws -> Tensor {
        switch a {
        case .relu: return try relu(x)
        case .sigmoid: return try sigmoid(x)
        case .tanh: return try tanh(x)
        case .gelu: return try gelu(x)
        case .identity: return x
        case .leakyRelu(let slope): return try leakyRelu(x, negativeSlope: slope)
        }
    }

    private func convForward(_ s: ConvSettings, _ x: Tensor) throws -> Tensor {
        let w = try required("weight"), b = optionalParameter("bias")
        if s.transposed {
            guard case .sizes(let padding) = s.padding else {
                throw RuntimeError("\(typeName) takes explicit padding sizes")
            }
            return try convTranspose2d(x, w, bias: b, stride: s.stride, padding: padding, outputPadding: s.outputPadding,
                                       groups: s.groups, dilation: s.dilation)
        }
        let padding: ConvPadding
        switch s.padding {
        case .sizes(let sizes): padding = .explicit(sizes)
        case .named(let name): padding = name == "same" ? .same : .valid
        }
        let mode = s.paddingMode == "zeros" ? PadMode.constant : PadMode(rawValue: s.paddingMode) ?? .constant
        if s.dims == 1 {
            return try conv1d(x, w, bias: b, stride: s.stride[0], padding: padding, dilation: s.dilation[0], groups: s.groups,
                              paddingMode: mode)
        }
        return try conv2d(x, w, bias: b, stride: s.stride, padding: padding, dilation: s.dilation, groups: s.groups, paddingMode: mode)
    }

    /// nn.BatchNorm's forward: counts the batch, picks the averaging factor,
    /// and normalises with the batch statistics in training (updating the
    /// running ones) or with the running ones in eval.
    private func batchNormForward(_ s: BatchNormSettings, _ x: Tensor) throws -> Tensor {
        let ranks = s.dims == 2 ? [4] : [2, 3]
        guard ranks.contains(x.rank) else {
            let expected = s.dims == 2 ? "4D" : "2D or 3D"
            throw RuntimeError("\(typeName): expected \(expected) input (got \(x.rank)D input)")
        }
        var factor = s.momentum ?? 0
        if training && s.trackRunningStats, let count = optionalBuffer("num_batches_tracked") {
            try GradMode.noGrad { try addInPlace(count, Tensor.wrapped(1, dtype: .int64)) }
            if s.momentum == nil { factor = 1 / (try count.item()) }
        }
        let mean = optionalBuffer("running_mean"), variance = optionalBuffer("running_var")
        let useBatchStats = training || (mean == nil && variance == nil)
        let track = !training || s.trackRunningStats
        return try batchNorm(x, runningMean: track ? mean : nil, runningVar: track ? variance : nil,
                             weight: optionalParameter("weight"), bias: optionalParameter("bias"),
                             training: useBatchStats, momentum: factor, eps: s.eps)
    }
}
