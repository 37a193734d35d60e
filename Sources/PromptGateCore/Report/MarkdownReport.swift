/// The gate as GitHub-flavoured Markdown, for `$GITHUB_STEP_SUMMARY` and a pull-request comment.
///
/// The text starts with ``commentMarker`` so that a comment can be found and updated in place,
/// and never exceeds its byte limit: the regressed cases' details go first (from the end, never
/// inside a code fence), then whole lines from the end.
public enum MarkdownReport {
  /// The first line of every report: how a bot finds its earlier comment.
  public static let commentMarker = "<!-- promptgate-gate -->"

  /// The report for `result`, at most `limit` bytes of UTF-8 (GitHub's step summary takes 1 MiB).
  public static func render(_ result: GateResult, limit: Int = 1_048_576) -> String {
    var parts: [Part] = [.text(header(result))]
    parts.append(.text(behaviorTable(result.behaviors)))
    parts.append(.text(setTable(result)))
    for set in result.sets where set.regressed {
      parts.append(.text(regressionHeader(set)))
      parts += ReportText.blamed(set).map { .detail(caseDetails($0)) }
    }
    parts.append(.omissions)
    parts.append(.text(notes(result)))
    return fit(parts, limit: limit)
  }

  /// A piece of the report: fixed text, one case's droppable details, or where to say how many
  /// details were dropped.
  enum Part {
    case text(String)
    case detail(String)
    case omissions
  }

  static func omissionNote(_ count: Int) -> String {
    let cases = count == 1 ? "1 regressed case was" : "\(count) regressed cases were"
    return
      "_The details of \(cases) omitted to fit the size limit; `promptgate gate --format json` has them all._\n\n"
  }

  static let truncationNote = "\n_…truncated to fit the size limit._\n"

  /// Joins `parts`, dropping details from the end until the text fits in `limit` bytes.
  static func fit(_ parts: [Part], limit: Int) -> String {
    var fixed = 0
    var details: [Int] = []
    for part in parts {
      switch part {
      case .text(let text): fixed += text.utf8.count
      case .detail(let text): details.append(text.utf8.count)
      case .omissions: break
      }
    }
    var kept = details.count
    var keptSize = details.reduce(0, +)
    func size() -> Int {
      let note = kept < details.count ? omissionNote(details.count - kept).utf8.count : 0
      return fixed + keptSize + note
    }
    while kept > 0, size() > limit {
      kept -= 1
      keptSize -= details[kept]
    }
    let detailIndices = parts.indices.filter {
      if case .detail = parts[$0] { return true } else { return false }
    }
    let dropped = Set(detailIndices.dropFirst(kept))
    var text = ""
    for (index, part) in parts.enumerated() where !dropped.contains(index) {
      switch part {
      case .text(let piece), .detail(let piece): text += piece
      case .omissions: if !dropped.isEmpty { text += omissionNote(dropped.count) }
      }
    }
    guard text.utf8.count > limit else { return text }
    // Only fixed text is left: cut whole lines (no code fence remains to break).
    var cut = ""
    var used = 0
    let budget = limit - truncationNote.utf8.count
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let size = line.utf8.count + 1
      if used + size > budget { break }
      cut += line + "\n"
      used += size
    }
    return ReportText.prefix(
      cut.isEmpty ? commentMarker + "\n" : cut + truncationNote, bytes: limit)
  }

  static func header(_ result: GateResult) -> String {
    let title: String
    if result.sets.isEmpty && result.notEvaluated.isEmpty {
      title =
        result.behaviors.isEmpty
        ? "✅ PromptGate: no behavior changed" : "✅ PromptGate: no eval set selected"
    } else {
      switch result.status {
      case .regressed: title = "❌ PromptGate: regressed"
      case .unavailable: title = "⚠️ PromptGate: could not evaluate"
      case .pass: title = "✅ PromptGate: pass"
      }
    }
    var lines = [commentMarker, "## \(title)", ""]
    var facts = ["base \(side(result.base))", "head \(side(result.head))"]
    if let tier = result.tier { facts.append("tier \(inline(tier))") }
    facts.append("\(result.calls) calls made, \(result.storedRuns) runs read from the store")
    lines.append(facts.joined(separator: " · "))
    let regressed = result.sets.filter(\.regressed).count
    let total = result.sets.count + result.notEvaluated.count
    if total > 0 {
      lines.append("")
      lines.append(
        "\(regressed) of \(total) eval set\(total == 1 ? "" : "s") regressed, \(result.notEvaluated.count) could not be evaluated."
      )
    }
    if let cap = result.capReached { lines += ["", "Stopped early: \(inline(cap))"] }
    return lines.joined(separator: "\n") + "\n\n"
  }

  static func side(_ summary: SideSummary) -> String {
    let name = inline(summary.side.description)
    guard let commit = summary.commit else { return name }
    return "\(name) (\(code(String(commit.prefix(12)))))"
  }

  static func setTable(_ result: GateResult) -> String {
    guard !result.sets.isEmpty || !result.notEvaluated.isEmpty else { return "" }
    var lines = [
      "### Eval sets", "",
      "| set | tier | behavior | head pass rate | baseline pass rate | p-value | verdict |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for set in result.sets {
      let head = ReportText.rate(
        passed: set.headPassed, cases: set.headCases, rate: set.headPassRate)
      var baseline = "— (new behavior)"
      if let rate = set.baselinePassRate, let passed = set.baselinePassed,
        let cases = set.baselineCases
      {
        baseline = ReportText.rate(passed: passed, cases: cases, rate: rate)
      }
      let verdict = set.regressed ? "❌ regressed" : "✅ pass"
      lines.append(
        row([
          cell(set.evalSet), cell(set.tier), cell(set.behavior), head, baseline,
          VerdictRule.scientific(set.pValue), verdict,
        ]))
    }
    for missing in result.notEvaluated {
      lines.append(row([cell(missing.evalSet), "", "", "", "", "", "⚠️ not evaluated"]))
    }
    return lines.joined(separator: "\n") + "\n\n"
  }

  static func regressionHeader(_ set: SetVerdict) -> String {
    var lines = ["### ❌ \(inline(set.evalSet)) regressed", ""]
    lines += set.findings.map { "- \(inline($0))" }
    let blamed = ReportText.blamed(set)
    if !blamed.isEmpty {
      if !set.findings.isEmpty { lines.append("") }
      let ids = blamed.prefix(20).map { code($0.id) }.joined(separator: ", ")
      let more = blamed.count > 20 ? " and \(blamed.count - 20) more" : ""
      lines.append("Regressed cases (\(blamed.count)): \(ids)\(more)")
    }
    return lines.joined(separator: "\n") + "\n\n"
  }

  /// One regressed case, collapsed: its failed assertions and the head's output.
  static func caseDetails(_ verdict: CaseVerdict) -> String {
    var summary = "<code>\(html(verdict.id))</code>: \(ReportText.runs(verdict.head)) at the head"
    if verdict.baseline != nil {
      summary = "<code>\(html(verdict.id))</code>: \(html(ReportText.counts(verdict)))"
    }
    var lines = ["<details><summary>\(summary)</summary>", ""]
    for failure in verdict.head.failures {
      let description = failure.description.map { " (\(inline($0)))" } ?? ""
      lines.append("- **\(inline(failure.type))**\(description): \(inline(failure.reason))")
    }
    if let output = verdict.head.output {
      if !verdict.head.failures.isEmpty { lines.append("") }
      lines.append("Head output:")
      lines.append("")
      lines.append(fenced(output))
    }
    lines += ["", "</details>"]
    return lines.joined(separator: "\n") + "\n\n"
  }

  static func notes(_ result: GateResult) -> String {
    var lines: [String] = []
    for set in result.sets where !set.regressed {
      lines += set.findings.map { "- \(inline(set.evalSet)): \(inline($0))" }
      if set.baselineId != nil {
        lines.append("- \(inline(set.evalSet)): \(ReportText.resampling(set))")
      }
      let unconfirmed = set.cases.filter { $0.status == .unconfirmed }
      if !unconfirmed.isEmpty {
        let shown = unconfirmed.prefix(20).map { "\(code($0.id)) (\(ReportText.counts($0)))" }
        lines.append(
          "- \(inline(set.evalSet)): \(unconfirmed.count) case(s) failed at the head but not significantly: \(shown.joined(separator: ", "))"
        )
      }
    }
    var text = lines.isEmpty ? "" : "### Notes\n\n" + lines.joined(separator: "\n") + "\n\n"
    if !result.notEvaluated.isEmpty {
      text += "### ⚠️ Not evaluated\n\n"
      text +=
        result.notEvaluated.map { "- **\(inline($0.evalSet))**: \(inline($0.reason))" }
        .joined(separator: "\n") + "\n\n"
    }
    return text
  }

  /// `text` in a fence longer than any run of backticks inside it, so it cannot be closed early.
  static func fenced(_ text: String) -> String {
    var longest = 0
    var run = 0
    for character in text.unicodeScalars {
      run = character == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    var body = String(
      String.UnicodeScalarView(ReportText.scrubbed(text).unicodeScalars.filter { $0 != "\r" }))
    if !body.hasSuffix("\n") { body += "\n" }
    return "\(fence)text\n\(body)\(fence)"
  }
}
