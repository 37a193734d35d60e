import Foundation
import PromptGateCore
import PromptGateWorkflows

extension GateRenderer {
  /// Throws the exit that `decision` calls for, warning on stderr when it lets a set that
  /// could not be evaluated pass.
  static func finish(_ decision: GateDecision) throws {
    switch decision {
    case .pass: return
    case .regressed(let sets):
      throw ExitWith(.found, "regressed: \(sets.joined(separator: ", "))")
    case .unavailable(let sets):
      throw ExitWith(.unavailable, "could not evaluate: \(sets.joined(separator: ", "))")
    case .passWithWarning(let sets):
      Output.error(
        "promptgate: warning: could not evaluate \(sets.joined(separator: ", ")); letting it pass")
    }
  }

  /// A progress line on stderr when it is a terminal; nil otherwise (CI logs stay clean).
  static func progressBar() -> GateExecutor.Progress? {
    guard isatty(2) == 1 else { return nil }
    return { done, total in
      let width = 30
      let filled = total == 0 ? width : width * done / total
      let bar =
        String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      let line = "\rpromptgate: [\(bar)] \(done)/\(total) runs" + (done == total ? "\n" : "")
      Output.raw(line)
    }
  }
}
