import TenshText

/// PyTorch's module repr, from the module's data: `Name(extra)` for a leaf,
/// and for a container each child on its own line as `(name): repr`, nested
/// children indented two spaces per level, as `nn.Module.__repr__` does.
extension Module {
    public var repr: String {
        let extra = layer.map(extraRepr) ?? ""
        let childLines = children.map { entry -> String in
            let text: String
            switch entry.child {
            case .module(let m): text = m.repr
            case .function(let f): text = f.repr
            }
            return "(\(Escaping.printable(entry.name))): " + text.replacingOccurrences(of: "\n", with: "\n  ")
        }
        let lines = (extra.isEmpty ? [] : [extra]) + childLines
        if lines.isEmpty { return typeName + "()" }
        if childLines.isEmpty { return typeName + "(" + extra + ")" }
        return typeName + "(\n  " + lines.joined(separator: "\n  ") + "\n)"
    }

    /// A layer's `extra_repr()`.
    func extraRepr(_ layer: Layer) -> String {
        let hasBias = (parameter("bias") ?? nil) != nil
        switch layer {
        case .conv(let s): return Module.convRepr(s, hasBias: hasBias)
        case .linear(let i, let o): return "in_features=\(i), out_features=\(o), bias=\(Module.python(hasBias))"
        case .batchNorm(let s):
            return "\(s.features), eps=\(NumberRepr.format(s.eps)), momentum=\(s.momentum.map(NumberRepr.format) ?? "None"), "
                + "affine=\(Module.python(s.affine)), bias=\(Module.python(hasBias)), track_running_stats=\(Module.python(s.trackRunningStats))"
        case .dropout(let p, _): return "p=\(NumberRepr.format(p)), inplace=False"
        case .activation(.leakyRelu(let slope)): return "negative_slope=\(NumberRepr.format(slope))"
        case .activation(.gelu): return "approximate='none'"
        case .activation: return ""
        case .maxPool2d(let s):
            return "kernel_size=\(s.kernelSize.repr), stride=\(s.stride.repr), padding=\(s.padding.repr), "
                + "dilation=\(s.dilation.repr), ceil_mode=\(Module.python(s.ceilMode))"
        case .avgPool2d(let s):
            return "kernel_size=\(s.kernelSize.repr), stride=\(s.stride.repr), padding=\(s.padding.repr)"
        case .adaptiveAvgPool2d(let size): return "output_size=\(size.repr)"
        case .flatten(let start, let end): return "start_dim=\(start), end_dim=\(end)"
        case .upsample(let size, let scale, let scaleIsTuple, let mode):
            let first: String
            if let scale {
                let items = scale.map(NumberRepr.format)
                first = "scale_factor=" + (scaleIsTuple ? "(" + items.joined(separator: ", ") + (items.count == 1 ? ",)" : ")") : items[0])
            } else {
                first = "size=\(size?.repr ?? "None")"
            }
            return first + ", mode='\(mode.rawValue)'"
        case .softmax(let dim, _): return "dim=\(dim)"
        }
    }

    /// `_ConvNd.extra_repr`: defaults are left out, sizes are tuples.
    private static func convRepr(_ s: ConvSettings, hasBias: Bool) -> String {
        func tuple(_ v: [Int]) -> String { SizeArgument.tuple(v).repr }
        var text = "\(s.inChannels), \(s.outChannels), kernel_size=\(tuple(s.kernelSize)), stride=\(tuple(s.stride))"
        switch s.padding {
        case .named(let name): text += ", padding=\(name)"
        case .sizes(let sizes) where sizes.contains { $0 != 0 }: text += ", padding=\(tuple(sizes))"
        case .sizes: break
        }
        if s.dilation.contains(where: { $0 != 1 }) { text += ", dilation=\(tuple(s.dilation))" }
        if s.outputPadding.contains(where: { $0 != 0 }) { text += ", output_padding=\(tuple(s.outputPadding))" }
        if s.groups != 1 { text += ", groups=\(s.groups)" }
        if !hasBias { text += ", bias=False" }
        if s.paddingMode != "zeros" { text += ", padding_mode=\(s.paddingMode)" }
        return text
    }

    private static func python(_ b: Bool) -> String { b ? "True" : "False" }
}
