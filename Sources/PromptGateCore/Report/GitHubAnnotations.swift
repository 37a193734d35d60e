/// The gate as GitHub Actions workflow commands (`::error file=...::...`), which the runner turns
/// into annotations on the pull request's changed lines.
///
/// A regressed set gives one error per changed range of each changed input behind the components
/// it protects (on the whole file when no changed line is known, without a file when no changed
/// input is); sets that could not be
/// evaluated, findings of sets that passed and regressions too few to be significant give
/// warnings. GitHub shows at most 10 of each per step, so the rest are merged into the tenth.
public enum GitHubAnnotations {
  /// The most annotations of one kind GitHub shows for a step.
  public static let maximumPerKind = 10

  /// The workflow command lines for `result`: errors first, then warnings.
  public static func render(_ result: GateResult) -> [String] {
    var errors: [Annotation] = []
    var warnings: [Annotation] = []
    for set in result.sets {
      if set.regressed {
        errors += regressionAnnotations(set, inputs: result.changedInputs[set.evalSet] ?? [])
      } else {
        warnings += set.findings.map {
          Annotation(title: "PromptGate: note on \(set.evalSet)", message: "\(set.evalSet): \($0)")
        }
        let unconfirmed = set.cases.filter { $0.status == .unconfirmed }.map(\.id)
        if !unconfirmed.isEmpty {
          warnings.append(
            Annotation(
              title: "PromptGate: \(set.evalSet) has cases failing at the head",
              message:
                "eval set \(set.evalSet): \(list(unconfirmed)) failed at the head, but not significantly (case alpha \(ReportText.number(set.caseAlpha)) after Holm): the set passes"
            ))
        }
      }
    }
    warnings += result.notEvaluated.map {
      Annotation(
        title: "PromptGate: \($0.evalSet) not evaluated",
        message: "eval set \($0.evalSet) could not be evaluated: \($0.reason)")
    }
    return capped(errors).map { $0.command("error") }
      + capped(warnings).map { $0.command("warning") }
  }

  /// One annotation before escaping.
  struct Annotation {
    var file: String?
    var line: LineRange?
    var title: String
    var message: String

    /// Where it points, for merged messages.
    var location: String {
      guard let file else { return title }
      guard let line else { return file }
      return line.start == line.end ? "\(file):\(line.start)" : "\(file):\(line.start)-\(line.end)"
    }

    func command(_ kind: String) -> String {
      var properties: [String] = []
      if let file {
        properties.append("file=\(GitHubAnnotations.property(file))")
        if let line {
          properties.append("line=\(line.start)")
          properties.append("endLine=\(line.end)")
        }
      }
      properties.append("title=\(GitHubAnnotations.property(title))")
      return "::\(kind) \(properties.joined(separator: ","))::\(GitHubAnnotations.data(message))"
    }
  }

  static func regressionAnnotations(_ set: SetVerdict, inputs: [ChangedInput]) -> [Annotation] {
    let cases = ReportText.blamed(set).map(\.id)
    var why =
      cases.isEmpty
      ? set.findings.joined(separator: "; ")
      : "\(list(cases)) regressed (pass rate \(ReportText.percent(set.headPassRate))"
        + (set.baselinePassRate.map { " vs \(ReportText.percent($0)) at the baseline)" } ?? ")")
    if why.isEmpty { why = "the set regressed" }
    let title = "PromptGate: \(set.evalSet) regressed"
    guard !inputs.isEmpty else {
      return [
        Annotation(
          title: title,
          message: "eval set \(set.evalSet) (behavior \(set.behavior)) regressed: \(why)")
      ]
    }
    var annotations: [Annotation] = []
    for input in inputs {
      let message =
        "eval set \(set.evalSet) regressed after this change to \(set.behavior).\(input.component.rawValue): \(why)"
      if input.lines.isEmpty {
        annotations.append(
          Annotation(
            file: input.path, title: title,
            message: "\(message) (no changed line is known: the file is gone or not text)"))
      }
      for range in input.lines {
        annotations.append(
          Annotation(file: input.path, line: range, title: title, message: message))
      }
    }
    return annotations
  }

  /// At most ``maximumPerKind``: the last one kept says what the others were.
  static func capped(_ annotations: [Annotation]) -> [Annotation] {
    guard annotations.count > maximumPerKind else { return annotations }
    var kept = Array(annotations.prefix(maximumPerKind))
    let rest = annotations[maximumPerKind...]
    var locations: [String] = []
    for annotation in rest where !locations.contains(annotation.location) {
      locations.append(annotation.location)
    }
    kept[maximumPerKind - 1].message +=
      "\nand \(rest.count) more: \(list(locations, at: 20))"
    return kept
  }

  /// `a, b, c` and, past `limit` items, `and N more`.
  static func list(_ items: [String], at limit: Int = 10) -> String {
    let shown = items.prefix(limit).joined(separator: ", ")
    return items.count > limit ? "\(shown) and \(items.count - limit) more" : shown
  }

  /// `text` escaped as a workflow command's message.
  static func data(_ text: String) -> String {
    escape(text, property: false)
  }

  /// `text` escaped as a workflow command's property value.
  static func property(_ text: String) -> String {
    escape(text, property: true)
  }

  static func escape(_ text: String, property: Bool) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": output += "%25"
      case "\r": output += "%0D"
      case "\n": output += "%0A"
      case ":" where property: output += "%3A"
      case "," where property: output += "%2C"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}
