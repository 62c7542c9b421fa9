import TenshEngine

/// Builds the built-in layers with PyTorch's parameter names, shapes and
/// initialisation (`reset_parameters`): conv and linear weights by
/// kaiming_uniform(a=√5), biases from U(±1/√fan_in), batch norm weight 1,
/// bias 0, running mean 0, running var 1, num_batches_tracked 0.
enum LayerConstructors {
    static func conv(_ s: ConvSettings, bias: Bool, dtype: DType, name: String) throws -> Module {
        let op = name
        guard s.inChannels > 0, s.outChannels > 0 else {
            throw RuntimeError("\(op): in_channels and out_channels must be positive, got \(s.inChannels) and \(s.outChannels)")
        }
        guard s.groups > 0 else { throw RuntimeError("\(op): groups must be a positive integer, got \(s.groups)") }
        guard s.inChannels % s.groups == 0 else {
            throw RuntimeError("\(op): in_channels (\(s.inChannels)) must be divisible by groups (\(s.groups))")
        }
        guard s.outChannels % s.groups == 0 else {
            throw RuntimeError("\(op): out_channels (\(s.outChannels)) must be divisible by groups (\(s.groups))")
        }
        guard s.kernelSize.allSatisfy({ $0 > 0 }) else {
            throw RuntimeError("\(op): kernel_size must be positive, got \(s.kernelSize)")
        }
        let shape = s.transposed ? [s.inChannels, s.outChannels / s.groups] + s.kernelSize
                                 : [s.outChannels, s.inChannels / s.groups] + s.kernelSize
        let weight = try kaimingUniform(shape, dtype: dtype).setRequiresGrad()
        let b = bias ? try layerBias(s.outChannels, weightShape: shape, dtype: dtype).setRequiresGrad() : nil
        return Module(name, layer: .conv(s), parameters: [("weight", weight), ("bias", b)])
    }

    static func linear(_ inFeatures: Int, _ outFeatures: Int, bias: Bool, dtype: DType) throws -> Module {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw RuntimeError("Linear: in_features and out_features must be non-negative, got \(inFeatures) and \(outFeatures)")
        }
        let shape = [outFeatures, inFeatures]
        // PyTorch leaves an empty weight's values alone; kaiming needs fan_in > 0.
        let weight = inFeatures > 0 ? try kaimingUniform(shape, dtype: dtype) : try Tensor(zeros: shape, dtype: dtype)
        let b = bias ? try layerBias(outFeatures, weightShape: shape, dtype: dtype).setRequiresGrad() : nil
        return Module("Linear", layer: .linear(inFeatures: inFeatures, outFeatures: outFeatures),
                      parameters: [("weight", try weight.setRequiresGrad()), ("bias", b)])
    }

    static func batchNorm(_ s: BatchNormSettings, bias: Bool, dtype: DType) throws -> Module {
        let name = "BatchNorm\(s.dims)d"
        guard s.features > 0 else { throw RuntimeError("\(name): num_features must be positive, got \(s.features)") }
        let c = [s.features]
        var parameters: [(String, Tensor?)] = [("weight", nil), ("bias", nil)]
        if s.affine {
            parameters = [("weight", try ones(c, dtype: dtype).setRequiresGrad()),
                          ("bias", bias ? try Tensor(zeros: c, dtype: dtype).setRequiresGrad() : nil)]
        }
        var buffers: [(String, Tensor?)] = [("running_mean", nil), ("running_var", nil), ("num_batches_tracked", nil)]
        if s.trackRunningStats {
            buffers = [("running_mean", try Tensor(zeros: c, dtype: dtype)), ("running_var", try ones(c, dtype: dtype)),
                       ("num_batches_tracked", Tensor(scalar: 0, dtype: .int64))]
        }
        return Module(name, layer: .batchNorm(s), parameters: parameters, buffers: buffers)
    }

    /// A layer without parameters.
    static func plain(_ name: String, _ layer: Layer) -> Module {
        Module(name, layer: layer)
    }
}
