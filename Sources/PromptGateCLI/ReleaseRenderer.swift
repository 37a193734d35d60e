import Foundation
import GitKit
import PromptGateCore
import PromptGateWorkflows

/// The text output of `promptgate release`, `release list` and `release show`.
enum ReleaseRenderer {
  /// The gates that ran, then one line per behavior, then the pushes.
  static func text(_ report: ReleaseWorkflow.Report, remote: String?) -> String {
    var lines: [String] = []
    for gate in report.gates {
      let text = GateRenderer.text(gate)
      if !text.isEmpty { lines.append(text) }
    }
    for entry in report.behaviors {
      let version = "\(entry.behavior) \(GateRenderer.short(entry.id.full))"
      switch entry.status {
      case .released:
        lines.append("released \(version) at \(entry.commit) as \(entry.tag)")
        if entry.evals.isEmpty {
          lines.append("  note: no \(report.tier ?? "") eval set protects what changed")
        }
      case .alreadyReleased:
        lines.append("\(version): already released at \(entry.commit) (\(entry.tag))")
      case .regressed:
        lines.append("\(version): not released: the release tier regressed")
      case .notEvaluated:
        lines.append("\(version): not released: the release tier could not be evaluated")
      case .held, .pending:
        lines.append("\(version): not released: another behavior's release tier failed")
      }
    }
    for entry in report.behaviors {
      let destination = remote ?? "the remote"
      switch entry.push {
      case .pushed?: lines.append("pushed \(entry.tag) to \(destination)")
      case .lostRace?:
        let commit = entry.remoteCommit.map { " (at \($0))" } ?? ""
        lines.append(
          "lost the race: \(destination) already has \(entry.tag)\(commit); nothing was overwritten"
        )
      case nil: break
      }
    }
    if report.behaviors.isEmpty { lines.append("no behavior to release") }
    return lines.joined(separator: "\n")
  }

  /// One line per release: behavior, short id, commit, tagger date, tag, eval summary.
  static func list(_ records: [ReleaseRecord]) -> String {
    let width = records.map(\.behavior.count).max() ?? 0
    let tagWidth = records.map(\.tag.count).max() ?? 0
    return records.map { record in
      let name = record.behavior.padding(toLength: width, withPad: " ", startingAt: 0)
      let tag = record.tag.padding(toLength: tagWidth, withPad: " ", startingAt: 0)
      let date = record.tagger?.isoDate ?? "(no tagger date)        "
      return "\(name)  \(GateRenderer.short(record.id.full))  \(record.commit.prefix(12))  "
        + "\(date)  \(tag)  \(evalSummary(record.evals))"
    }.joined(separator: "\n")
  }

  /// Every field of one release.
  static func show(_ record: ReleaseRecord) -> String {
    var lines = [
      "tag:       \(record.tag)",
      "behavior:  \(record.behavior)",
      "id:        \(record.id.full)",
      "commit:    \(record.commit)",
    ]
    if let tagger = record.tagger {
      lines.append("tagger:    \(tagger.name) <\(tagger.email)> \(tagger.isoDate)")
    }
    lines.append("tier:      \(record.tier ?? "all")")
    lines.append("baseline:  \(record.baseline ?? "none (the first release)")")
    lines.append("tuple:")
    let keys = ["promptSha", "model", "toolSchemaSha", "retrievalPolicySha", "safetyPolicySha"]
    if case .object(let fields) = record.tuple {
      for key in keys { lines.append("  \(key): \(scalar(fields[key]))") }
      if case .object(let decoding)? = fields["decoding"] {
        for key in ["temperature", "maxOutputTokens"] {
          lines.append("  decoding.\(key): \(scalar(decoding[key]))")
        }
      }
    }
    lines.append("evals:" + (record.evals.isEmpty ? " none selected" : ""))
    for eval in record.evals {
      var line =
        "  \(eval.evalSet) (\(eval.tier)): \(eval.verdict), head \(eval.headPassed)/\(eval.headCases)"
        + " (\(GateRenderer.percent(eval.headPassRate)))"
      if let passed = eval.baselinePassed, let cases = eval.baselineCases {
        line += ", baseline \(passed)/\(cases)"
      } else {
        line += ", no baseline"
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }

  /// `set 3/3 pass, other 10/10 pass`, or `no eval set`.
  static func evalSummary(_ evals: [ReleaseEval]) -> String {
    guard !evals.isEmpty else { return "no eval set" }
    return evals.map { "\($0.evalSet) \($0.headPassed)/\($0.headCases) \($0.verdict)" }
      .joined(separator: ", ")
  }

  private static func scalar(_ value: JSONValue?) -> String {
    guard let value, let text = value.scalarText else { return "null" }
    return text
  }
}
