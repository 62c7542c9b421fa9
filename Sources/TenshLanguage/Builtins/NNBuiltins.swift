import TenshEngine
import TenshText

/// The layers of `torch.nn`, with PyTorch's names, signatures and defaults.
/// Each returns a module (NN/Module.swift); calling it runs the layer.
enum NNBuiltins {
    static let category = "Layers (torch.nn)"
    static let dtype = BuiltinParameter.optional("dtype", .dtype, "\"f32\"")
    static let bias = BuiltinParameter.optional("bias", .bool, "true")

    static let all: [Builtin] = convolutions + [linear] + normalisation + activations + pooling + reshaping

    static let convolutions: [Builtin] = [
        conv("Conv2d", dims: 2, transposed: false, example: "conv1 = Conv2d(1, 8, 3, padding=1)"),
        conv("Conv1d", dims: 1, transposed: false, example: "c = Conv1d(4, 8, 5, padding=\"same\")"),
        conv("ConvTranspose2d", dims: 2, transposed: true, example: "up = ConvTranspose2d(8, 4, 2, stride=2)"),
    ]

    static func conv(_ name: String, dims: Int, transposed: Bool, example: String) -> Builtin {
        var parameters: [BuiltinParameter] = [
            .required("in_channels", .int), .required("out_channels", .int), .required("kernel_size", .intPair),
            .optional("stride", .intPair, "1"), .optional("padding", transposed ? .intPair : .any, "0"),
        ]
        if transposed { parameters.append(.optional("output_padding", .intPair, "0")) }
        parameters += [.optional("dilation", .intPair, "1"), .optional("groups", .int, "1"), bias,
                       .optional("padding_mode", .string, "\"zeros\""), dtype]
        let shape = transposed ? "[in, out/groups, kh, kw]" : dims == 1 ? "[out, in/groups, k]" : "[out, in/groups, kh, kw]"
        return Builtin(name, category, parameters,
                       summary: "A \(dims)-d \(transposed ? "transposed " : "")convolution layer as torch.nn.\(name): weight \(shape) "
                           + "(kaiming_uniform, a=√5) and bias [out] (U(±1/√fan_in)).",
                       example: example) { a in
            let settings = try convSettings(a, dims: dims, transposed: transposed, name: name)
            return .module(try LayerConstructors.conv(settings, bias: try a.bool("bias"), dtype: try a.dtype(), name: name))
        }
    }

    private static func convSettings(_ a: Arguments, dims: Int, transposed: Bool, name: String) throws -> ConvSettings {
        func sizes(_ key: String) throws -> [Int] {
            let values = try a.ints(key)
            guard values.count == 1 || values.count == dims else {
                throw a.error(key, "\(key) takes one int or \(dims) ints, got \(values.count)")
            }
            return values.count == dims ? values : Array(repeating: values[0], count: dims)
        }
        let padding: ConvPaddingSetting
        switch a.value("padding") {
        case .string(let s):
            _ = try ConvBuiltins.convPadding(a) // rejects other names, with a did-you-mean
            padding = .named(s)
        default:
            let values = try a.ints("padding")
            padding = .sizes(values.count == 1 ? Array(repeating: values[0], count: dims) : values)
        }
        let mode = try a.string("padding_mode")
        _ = try ConvBuiltins.padMode(a, "padding_mode")
        if transposed && mode != "zeros" {
            throw a.error("padding_mode", "only \"zeros\" padding mode is supported for \(name)")
        }
        return ConvSettings(dims: dims, transposed: transposed, inChannels: try a.int("in_channels"),
                            outChannels: try a.int("out_channels"), kernelSize: try sizes("kernel_size"),
                            stride: try sizes("stride"), padding: padding, dilation: try sizes("dilation"),
                            outputPadding: transposed ? try sizes("output_padding") : Array(repeating: 0, count: dims),
                            groups: try a.int("groups"), paddingMode: mode)
    }

    static let linear = Builtin("Linear", category, [.required("in_features", .int), .required("out_features", .int), bias, dtype],
                                summary: "y = x·weightᵀ + bias with weight [out, in] (kaiming_uniform, a=√5) and bias [out], as torch.nn.Linear.",
                                example: "fc = Linear(320, 50)") { a in
        .module(try LayerConstructors.linear(try a.int("in_features"), try a.int("out_features"), bias: try a.bool("bias"),
                                             dtype: try a.dtype()))
    }

    static let normalisation: [Builtin] = [
        batchNorm(2, example: "bn = BatchNorm2d(16)"), batchNorm(1, example: "bn = BatchNorm1d(50, momentum=none)"),
        dropout("Dropout", channels: false), dropout("Dropout2d", channels: true),
    ]

    static func batchNorm(_ dims: Int, example: String) -> Builtin {
        Builtin("BatchNorm\(dims)d", category, [.required("num_features", .int), .optional("eps", .number, "1e-5"),
                                                .optional("momentum", .any, "0.1"), .optional("affine", .bool, "true"),
                                                .optional("track_running_stats", .bool, "true"), bias, dtype],
                summary: "Batch normalisation over the channels of \(dims == 2 ? "[N, C, H, W]" : "[N, C] or [N, C, L]"): batch statistics "
                    + "in train mode (updating running_mean/var with momentum, or a cumulative average when momentum=none), running ones in eval.",
                example: example) { a in
            let momentum: Double? = a.isGiven("momentum") ? try a.double("momentum") : nil
            let s = BatchNormSettings(dims: dims, features: try a.int("num_features"), eps: try a.double("eps"), momentum: momentum,
                                      affine: try a.bool("affine"), trackRunningStats: try a.bool("track_running_stats"))
            return .module(try LayerConstructors.batchNorm(s, bias: try a.bool("bias"), dtype: try a.dtype()))
        }
    }

    static func dropout(_ name: String, channels: Bool) -> Builtin {
        Builtin(name, category, [.optional("p", .number, "0.5")],
                summary: channels ? "Zeroes whole channels with probability p in train mode (scaling the rest by 1/(1 - p)); identity in eval."
                                  : "Zeroes elements with probability p in train mode (scaling the rest by 1/(1 - p)); identity in eval.",
                example: "drop = \(name)(0.25)") { a in
            let p = try a.double("p")
            guard p >= 0, p <= 1 else { throw a.error("p", "dropout probability has to be between 0 and 1, but got \(NumberRepr.format(p))") }
            return .module(LayerConstructors.plain(name, .dropout(p: p, channels: channels)))
        }
    }

    static let activations: [Builtin] = [
        simple("ReLU", .relu, "max(x, 0)"), simple("Sigmoid", .sigmoid, "1 / (1 + exp(-x))"), simple("Tanh", .tanh, "tanh(x)"),
        simple("Identity", .identity, "x itself"),
        Builtin("GELU", category, [.optional("approximate", .string, "\"none\"")],
                summary: "x·Φ(x) with the exact normal CDF (approximate=\"none\").", example: "act = GELU()") { a in
            guard try a.string("approximate") == "none" else {
                throw a.error("approximate", "only approximate=\"none\" is available; write 0.5 * x * (1 + tanh(...)) for the tanh form")
            }
            return .module(LayerConstructors.plain("GELU", .activation(.gelu)))
        },
        Builtin("LeakyReLU", category, [.optional("negative_slope", .number, "0.01")],
                summary: "x for x ≥ 0, negative_slope·x otherwise.", example: "act = LeakyReLU(0.2)") { a in
            .module(LayerConstructors.plain("LeakyReLU", .activation(.leakyRelu(slope: try a.double("negative_slope")))))
        },
    ]

    static func simple(_ name: String, _ activation: Activation, _ what: String) -> Builtin {
        Builtin(name, category, [], summary: "A layer computing \(what), as torch.nn.\(name).", example: "act = \(name)()") { _ in
            .module(LayerConstructors.plain(name, .activation(activation)))
        }
    }

    static let pooling: [Builtin] = [
        Builtin("MaxPool2d", category, [.required("kernel_size", .intPair), .optional("stride", .intPair, "none"),
                                        .optional("padding", .intPair, "0"), .optional("dilation", .intPair, "1"),
                                        .optional("ceil_mode", .bool, "false")],
                summary: "The maximum over kernel_size windows (stride defaults to kernel_size), as torch.nn.MaxPool2d.",
                example: "pool = MaxPool2d(2)") { a in
            .module(LayerConstructors.plain("MaxPool2d", .maxPool2d(try poolSettings(a))))
        },
        Builtin("AvgPool2d", category, [.required("kernel_size", .intPair), .optional("stride", .intPair, "none"),
                                        .optional("padding", .intPair, "0"), .optional("ceil_mode", .bool, "false"),
                                        .optional("count_include_pad", .bool, "true")],
                summary: "The mean over kernel_size windows (stride defaults to kernel_size), as torch.nn.AvgPool2d.",
                example: "pool = AvgPool2d(2)") { a in
            .module(LayerConstructors.plain("AvgPool2d", .avgPool2d(try poolSettings(a))))
        },
        Builtin("AdaptiveAvgPool2d", category, [.required("output_size", .intPair)],
                summary: "Averages [N, C, H, W] down to output_size (an int or [h, w]).", example: "gap = AdaptiveAvgPool2d(1)") { a in
            .module(LayerConstructors.plain("AdaptiveAvgPool2d", .adaptiveAvgPool2d(outputSize: try size(a, "output_size"))))
        },
    ]

    /// An int or a list of ints, kept as given for the repr.
    static func size(_ a: Arguments, _ name: String) throws -> SizeArgument {
        let values = try a.ints(name)
        guard values.allSatisfy({ $0 >= 0 }) else { throw a.error(name, "\(name) must be non-negative, got \(values)") }
        if case .int = a.value(name) { return SizeArgument(values: values, isTuple: false) }
        return .tuple(values)
    }

    private static func poolSettings(_ a: Arguments) throws -> PoolSettings {
        let kernel = try size(a, "kernel_size")
        let dilation = a.values["dilation"] == nil ? SizeArgument(values: [1], isTuple: false) : try size(a, "dilation")
        let countIncludePad = a.values["count_include_pad"] == nil ? true : try a.bool("count_include_pad")
        return PoolSettings(kernelSize: kernel, stride: a.isGiven("stride") ? try size(a, "stride") : kernel,
                            padding: try size(a, "padding"), dilation: dilation, ceilMode: try a.bool("ceil_mode"),
                            countIncludePad: countIncludePad)
    }

    static let reshaping: [Builtin] = [
        Builtin("Flatten", category, [.optional("start_dim", .int, "1"), .optional("end_dim", .int, "-1")],
                summary: "Flattens dims start_dim..end_dim into one (the batch dim stays by default).", example: "flat = Flatten()") { a in
            .module(LayerConstructors.plain("Flatten", .flatten(startDim: try a.int("start_dim"), endDim: try a.int("end_dim"))))
        },
        Builtin("Upsample", category, [.optional("size", .intPair, "none"), .optional("scale_factor", .any, "none"),
                                       .optional("mode", .string, "\"nearest\"")],
                summary: "Resizes images to size or by scale_factor with interpolate's modes (\"nearest\", \"bilinear\", ...).",
                example: "up = Upsample(scale_factor=2)") { a in
            try upsample(a)
        },
        Builtin("Softmax", category, [.required("dim", .int)], summary: "softmax(x, dim) as a layer.", example: "sm = Softmax(dim=1)") { a in
            .module(LayerConstructors.plain("Softmax", .softmax(dim: try a.int("dim"), log: false)))
        },
        Builtin("LogSoftmax", category, [.required("dim", .int)], summary: "log_softmax(x, dim) as a layer.",
                example: "out = LogSoftmax(dim=1)") { a in
            .module(LayerConstructors.plain("LogSoftmax", .softmax(dim: try a.int("dim"), log: true)))
        },
    ]

    private static func upsample(_ a: Arguments) throws -> Value {
        let modeName = try a.string("mode")
        guard let mode = InterpolationMode(rawValue: modeName) else {
            let names = InterpolationMode.allCases.map(\.rawValue)
            throw a.error("mode", "unknown mode \"\(Escaping.printable(modeName))\"\(Suggestions.hint(for: modeName, in: names))")
        }
        guard a.isGiven("size") != a.isGiven("scale_factor") else {
            throw a.error("size", "give either size or scale_factor, not both and not neither")
        }
        if a.isGiven("size") {
            return .module(LayerConstructors.plain("Upsample", .upsample(size: try size(a, "size"), scaleFactor: nil, scaleIsTuple: false, mode: mode)))
        }
        let factors: [Double], isTuple: Bool
        if let items = a.value("scale_factor").sequenceItems {
            factors = try items.map { item in
                guard let d = item.number else { throw a.error("scale_factor", "scale_factor must be numbers, got \(item.typeName)") }
                return d
            }
            isTuple = true
        } else {
            factors = [try a.double("scale_factor")]
            isTuple = false
        }
        guard factors.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw a.error("scale_factor", "scale_factor must be positive, got \(factors)") }
        return .module(LayerConstructors.plain("Upsample", .upsample(size: nil, scaleFactor: factors, scaleIsTuple: isTuple, mode: mode)))
    }
}
