import Foundation
import PromptGateCore
import PromptGateWorkflows

/// The text output of `promptgate rollback`.
enum RollbackRenderer {
  static func text(_ outcome: RollbackWorkflow.Outcome) -> String {
    let plan = outcome.plan
    let from = plan.from.map { GateRenderer.short($0.full) } ?? "absent"
    var lines = [
      "\(plan.behavior): \(from) (working tree) -> \(GateRenderer.short(plan.to.full))",
      "target: \(plan.target.input) is commit \(plan.target.commit.prefix(12)), "
        + plan.target.how,
    ]
    for step in plan.components {
      guard step.status == .restore else {
        lines.append("  \(step.component.rawValue): unchanged")
        continue
      }
      lines.append("  \(step.component.rawValue):")
      for file in step.files {
        let action = file.action.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        lines.append("    \(action)  \(file.path)")
      }
      for value in step.values {
        lines.append(
          "    \(value.file):\(value.line) \(value.selector): \(show(value.old)) -> \(show(value.new))"
        )
      }
    }
    switch outcome.status {
    case .planned:
      lines.append(
        plan.isNoOp
          ? "dry run: the working tree already has \(GateRenderer.short(plan.to.full))"
          : "dry run: nothing was changed; \(plan.paths.count) path(s) would be written")
    case .unchanged:
      lines.append(
        "the working tree already has \(GateRenderer.short(plan.to.full)); nothing to do")
    case .restored, .committed, .commitRefused:
      lines.append(
        "proof: the working tree's \(plan.behavior) is now \(outcome.proof?.full ?? "?"), the "
          + "target's id")
      lines.append("staged \(plan.paths.count) path(s): \(plan.paths.joined(separator: ", "))")
      // What git commit and the team's hooks printed, then the commit.
      if let output = outcome.commitOutput, !output.isEmpty {
        lines.append(output.trimmingCharacters(in: .newlines))
      }
      if let commit = outcome.commit { lines.append("committed \(commit)") }
    }
    return lines.joined(separator: "\n")
  }

  private static func show(_ value: JSONValue?) -> String {
    guard let value else { return "(none)" }
    let text = (try? CanonicalJSON.serialize(value)) ?? "?"
    return text.count > 80 ? String(text.prefix(77)) + "..." : text
  }
}
