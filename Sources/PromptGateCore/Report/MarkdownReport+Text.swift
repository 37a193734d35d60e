extension MarkdownReport {
  /// The behaviors that changed: one row for each version, then one per changed component with
  /// its files or values listed under it.
  static func behaviorTable(_ behaviors: [BehaviorChange]) -> String {
    let changes = behaviors.filter(\.isChange)
    guard !changes.isEmpty else { return "" }
    var lines = [
      "### Behavior changes", "", "| behavior | component | old | new |",
      "| --- | --- | --- | --- |",
    ]
    for change in changes {
      let old = change.previousId.map { code("pgv1-" + $0.short) } ?? absent(change.previousAbsence)
      let new = change.id.map { code("pgv1-" + $0.short) } ?? absent(change.absence)
      let version =
        change.status == .unchanged ? "version (definition changed, id unchanged)" : "version"
      lines.append(row([cell(change.behavior), version, old, new]))
      for component in change.components {
        var name = [inline(component.component.rawValue)]
        if let files = component.files {
          name += files.added.map { "added " + inline($0) }
          name += files.removed.map { "removed " + inline($0) }
          name += files.modified.map { "modified " + inline($0) }
          name += files.renamed.map { "renamed \(inline($0.from)) → \(inline($0.to))" }
        }
        for value in component.values ?? [] {
          let pointer = value.pointer.isEmpty ? "(whole value)" : value.pointer
          let before = value.old.map { describe($0, kind: .name) } ?? "(none)"
          let after = value.new.map { describe($0, kind: .name) } ?? "(none)"
          name.append("\(inline(pointer)): \(before) → \(after)")
        }
        lines.append(
          row([
            "", name.joined(separator: "<br>"),
            describe(component.old, kind: component.component.kind),
            describe(component.new, kind: component.component.kind),
          ]))
      }
    }
    return lines.joined(separator: "\n") + "\n\n"
  }

  static func absent(_ reason: String?) -> String {
    reason.map { "absent (\(cell($0)))" } ?? "absent"
  }

  /// A component's value for a table cell: digests cut to 12 hex digits.
  static func describe(_ value: JSONValue, kind: Component.Kind) -> String {
    switch value {
    case .null: return "—"
    case .string(let text) where kind == .digest: return code(String(text.prefix(12)))
    default:
      let text = value.scalarText ?? (try? CanonicalJSON.serialize(value)) ?? "?"
      return cell(text.count > 80 ? String(text.prefix(80)) + "…" : text)
    }
  }

  /// A table row from cells already escaped.
  static func row(_ cells: [String]) -> String {
    "| " + cells.joined(separator: " | ") + " |"
  }

  /// `text` for a table cell: Markdown and HTML neutralised, line breaks as `<br>`.
  static func cell(_ text: String) -> String {
    escape(text, newline: "<br>")
  }

  /// `text` inline in a paragraph or list item: Markdown and HTML neutralised, on one line.
  static func inline(_ text: String) -> String {
    escape(text, newline: " ")
  }

  /// `text` as a code span, when it has no backtick or pipe (ids, digests); escaped otherwise.
  static func code(_ text: String) -> String {
    guard !text.contains(where: { "`|\n\r".contains($0) }) else { return inline(text) }
    return "`\(text)`"
  }

  /// `text` for HTML (a `<summary>`).
  static func html(_ text: String) -> String {
    var output = ""
    for scalar in ReportText.scrubbed(text).unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "\n", "\r": output += " "
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  static func escape(_ text: String, newline: String) -> String {
    var output = ""
    var previousWasCR = false
    for scalar in ReportText.scrubbed(text).unicodeScalars {
      defer { previousWasCR = scalar == "\r" }
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\r": output += newline
      case "\n": if !previousWasCR { output += newline }
      case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "$", "@", "!":
        output += "\\"
        output.unicodeScalars.append(scalar)
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}
