import PromptGateCore

/// What a gate's result means for the change: the one place that turns a result into pass or
/// fail, for the gate, the hooks and a merge of shards.
public enum GateDecision: Sendable, Equatable {
  /// Nothing regressed and everything selected was evaluated (or nothing was selected).
  case pass
  /// These sets regressed.
  case regressed([String])
  /// Nothing regressed, but these sets could not be evaluated, and the policy fails them.
  case unavailable([String])
  /// Nothing regressed; these sets could not be evaluated, and the policy lets it pass.
  case passWithWarning(unevaluated: [String])

  /// The decision for `result` under `policy`.
  public init(_ result: GateResult, onUnavailable policy: UnavailablePolicy) {
    let regressed = result.sets.filter(\.regressed).map(\.evalSet)
    let unevaluated = result.notEvaluated.map(\.evalSet)
    if !regressed.isEmpty {
      self = .regressed(regressed)
    } else if unevaluated.isEmpty {
      self = .pass
    } else {
      switch policy {
      case .fail: self = .unavailable(unevaluated)
      case .warn: self = .passWithWarning(unevaluated: unevaluated)
      }
    }
  }

  /// True when the change may go ahead.
  public var passes: Bool {
    switch self {
    case .pass, .passWithWarning: return true
    case .regressed, .unavailable: return false
    }
  }
}
