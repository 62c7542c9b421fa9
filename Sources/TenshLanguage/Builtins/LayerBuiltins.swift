import TenshEngine

/// dropout, dropout2d, batch_norm.
enum LayerBuiltins {
    static let category = "Layers"
    static let dropoutParameters: [BuiltinParameter] = [.required("x", .tensor), .optional("p", .number, "0.5"),
                                                        .optional("train", .bool, "true"), RandomBuiltins.seed]

    static let all: [Builtin] = [
        Builtin("dropout", category, dropoutParameters,
                summary: "Zeroes each element with probability p and scales the rest by 1/(1 - p) when train; x itself otherwise.",
                example: "h = dropout(h, p=0.25, train=training)") { a in
            .tensor(try dropout(try a.tensor("x"), p: try a.double("p"), train: try a.bool("train"), seed: try a.seed()))
        },
        Builtin("dropout2d", category, dropoutParameters,
                summary: "Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability p, scaling the rest by 1/(1 - p).",
                example: "h = dropout2d(h, p=0.1, seed=0)") { a in
            .tensor(try dropout2d(try a.tensor("x"), p: try a.double("p"), train: try a.bool("train"), seed: try a.seed()))
        },
        Builtin("batch_norm", category, [.required("x", .tensor), .optional("running_mean", .tensor, "none"),
                                         .optional("running_var", .tensor, "none"), .optional("weight", .tensor, "none"),
                                         .optional("bias", .tensor, "none"), .optional("training", .bool, "false"),
                                         .optional("momentum", .number, "0.1"), .optional("eps", .number, "1e-5")],
                summary: "Normalises each channel of [N, C, ...] by batch statistics (training, updating running_mean/var in place) "
                    + "or by the running ones (eval), then · weight + bias.",
                example: "y = batch_norm(x, rm, rv, gamma, beta, training=true)") { a in
            .tensor(try batchNorm(try a.tensor("x"), runningMean: try a.optionalTensor("running_mean"),
                                  runningVar: try a.optionalTensor("running_var"), weight: try a.optionalTensor("weight"),
                                  bias: try a.optionalTensor("bias"), training: try a.bool("training"),
                                  momentum: try a.double("momentum"), eps: try a.double("eps")))
        },
    ]
}
