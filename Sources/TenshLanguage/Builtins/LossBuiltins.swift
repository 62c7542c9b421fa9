import TenshEngine
import TenshText

/// mse_loss, l1_loss, nll_loss, cross_entropy, binary_cross_entropy with
/// torch's `reduction="mean"|"sum"|"none"`.
enum LossBuiltins {
    static let category = "Losses"
    static let reduction = BuiltinParameter.optional("reduction", .string, "\"mean\"")
    static let weight = BuiltinParameter.optional("weight", .tensor, "none")
    static let ignoreIndex = BuiltinParameter.optional("ignore_index", .int, "-100")
    static let pair: [BuiltinParameter] = [.required("input", .tensor), .required("target", .tensor)]

    static let all: [Builtin] = [
        Builtin("mse_loss", category, pair + [reduction],
                summary: "The squared error (input - target)², reduced; input and target have one shape.",
                example: "loss = mse_loss(y, target)") { a in
            .tensor(try mseLoss(try a.tensor("input"), try a.tensor("target"), reduction: try lossReduction(a)))
        },
        Builtin("l1_loss", category, pair + [reduction],
                summary: "The absolute error |input - target|, reduced; input and target have one shape.",
                example: "loss = l1_loss(y, target, reduction=\"sum\")") { a in
            .tensor(try l1Loss(try a.tensor("input"), try a.tensor("target"), reduction: try lossReduction(a)))
        },
        Builtin("nll_loss", category, pair + [weight, ignoreIndex, reduction],
                summary: "Negative log likelihood of log-probabilities input [N, C] (or [N, C, d...]) at int64 class targets [N]; "
                    + "weight [C] per class, targets equal to ignore_index skipped.",
                example: "loss = nll_loss(log_softmax(logits, dim=1), labels)") { a in
            .tensor(try nllLoss(try a.tensor("input"), try a.tensor("target"), weight: try a.optionalTensor("weight"),
                                ignoreIndex: try a.int("ignore_index"), reduction: try lossReduction(a)))
        },
        Builtin("cross_entropy", category, pair + [weight, ignoreIndex, reduction],
                summary: "log_softmax over the class dim then nll_loss, computed stably; "
                    + "a float target of input's shape is read as class probabilities.",
                example: "loss = cross_entropy(logits, labels)") { a in
            .tensor(try crossEntropy(try a.tensor("input"), try a.tensor("target"), weight: try a.optionalTensor("weight"),
                                     ignoreIndex: try a.int("ignore_index"), reduction: try lossReduction(a)))
        },
        Builtin("binary_cross_entropy", category, pair + [weight, reduction],
                summary: "-(t·log p + (1 - t)·log(1 - p)) for probabilities input p in [0, 1] (logs clamped at -100, as torch).",
                example: "loss = binary_cross_entropy(sigmoid(z), t)") { a in
            .tensor(try binaryCrossEntropy(try a.tensor("input"), try a.tensor("target"), weight: try a.optionalTensor("weight"),
                                           reduction: try lossReduction(a)))
        },
    ]

    static func lossReduction(_ a: Arguments) throws -> LossReduction {
        let s = try a.string("reduction")
        guard let r = LossReduction(rawValue: s) else {
            throw a.error("reduction", "unknown reduction \"\(Escaping.printable(s))\" (expected \"mean\", \"sum\" or \"none\")"
                + Suggestions.hint(for: s, in: ["mean", "sum", "none"]))
        }
        return r
    }
}
