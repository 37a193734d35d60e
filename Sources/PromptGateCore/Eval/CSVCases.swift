import Foundation

/// CSV case files: promptfoo's test CSV (a column per var, `__expected` columns holding
/// assertions) or Inspect AI's CSV samples (`input`, `target`, `id`, `metadata`, `choices`
/// columns). A header with an `input` column and no `__` column is Inspect's; any other is
/// promptfoo's.
enum CSVCases {
  /// promptfoo's assertion types, for reading `type:value` in `__expected` (text that starts
  /// with any other word is an `equals` value, as promptfoo reads it).
  static let promptfooTypes: Set<String> = [
    "answer-relevance", "bleu", "classifier", "contains", "contains-all", "contains-any",
    "contains-html", "contains-json", "contains-sql", "contains-xml", "context-faithfulness",
    "context-recall", "context-relevance", "conversation-relevance", "cost", "equals", "f-score",
    "factuality", "finish-reason", "g-eval", "gleu", "guardrails", "icontains", "icontains-all",
    "icontains-any", "is-html", "is-json", "is-refusal", "is-sql", "is-valid-function-call",
    "is-valid-openai-function-call", "is-valid-openai-tools-call", "is-xml", "javascript",
    "latency", "levenshtein", "llm-rubric", "max-score", "meteor", "model-graded-closedqa",
    "model-graded-factuality", "moderation", "perplexity", "perplexity-score", "pi", "python",
    "regex", "rouge-n", "ruby", "search-rubric", "select-best", "similar", "starts-with",
    "tool-call-f1", "trace-error-spans", "trace-span-count", "trace-span-duration", "webhook",
    "word-count",
  ]

  /// The cases of a CSV file, one per data row.
  static func sources(_ text: String, file: String, problems: inout [Diagnostic]) -> [CaseSource] {
    let rows: [(line: Int, fields: [String])]
    do {
      rows = try records(text)
    } catch {
      problems.append(
        Diagnostic(
          file: file, line: error.line, "malformed CSV: \(error.message)",
          fix: "quote a field that holds commas, quotes or line breaks with \"...\", and write a "
            + "quote inside it as \"\""))
      return []
    }
    guard let header = rows.first else { return [] }
    let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    let inspect = names.contains("input") && !names.contains { $0.hasPrefix("__") }
    var sources: [CaseSource] = []
    for (index, row) in rows.dropFirst().enumerated() {
      guard row.fields.count == names.count else {
        problems.append(
          Diagnostic(
            file: file, line: row.line,
            "row has \(row.fields.count) fields; the header has \(names.count)",
            fix: "give every row one field per column (an empty field is two adjacent commas)"))
        continue
      }
      let cells = Array(zip(names, row.fields))
      let value =
        inspect
        ? inspectSample(cells)
        : promptfooTest(cells, file: file, line: row.line, problems: &problems)
      var source = CaseSource(value: value, line: row.line, position: index + 1)
      if case .object(let fields) = value, case .array(let list)? = fields["assert"] {
        source.assertionLines = Array(repeating: row.line, count: list.count)
      }
      sources.append(source)
    }
    return sources
  }

  /// An Inspect sample from a CSV row: every value is text, as Python's csv module reads it.
  private static func inspectSample(_ cells: [(String, String)]) -> JSONValue {
    var fields: [String: JSONValue] = [:]
    for (name, value) in cells {
      switch name {
      case "input", "target", "id", "metadata":
        if !value.isEmpty || name == "input" { fields[name] = .string(value) }
      case "choices":
        // read_choices: commas, else whitespace; empty entries dropped.
        var parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 1 { parts = value.split(whereSeparator: \.isWhitespace).map(String.init) }
        parts.removeAll(where: \.isEmpty)
        if !parts.isEmpty { fields["choices"] = .array(parts.map(JSONValue.string)) }
      default:
        continue  // Inspect's default field mapping ignores other columns
      }
    }
    return .object(fields)
  }

  /// A promptfoo test from a CSV row (promptfoo's testCaseFromCsvRow).
  private static func promptfooTest(
    _ cells: [(String, String)], file: String, line: Int, problems: inout [Diagnostic]
  ) -> JSONValue {
    var vars: [String: JSONValue] = [:]
    var asserts: [JSONValue] = []
    var options: [String: JSONValue] = [:]
    var fields: [String: JSONValue] = [:]
    var metadata: [String: JSONValue] = [:]
    for (name, value) in cells {
      if name.hasPrefix("__expected") {
        if !value.trimmingCharacters(in: .whitespaces).isEmpty {
          asserts.append(assertion(value))
        }
      } else if name == "__prefix" || name == "__suffix" {
        if !value.isEmpty { options[String(name.dropFirst(2))] = .string(value) }
      } else if name == "__description" {
        if !value.isEmpty { fields["description"] = .string(value) }
      } else if name == "__threshold" {
        // promptfoo keeps it only when parseFloat gives a non-zero number.
        if let number = Double(value.trimmingCharacters(in: .whitespaces)), number != 0 {
          fields["threshold"] = .number(number)
        }
      } else if name == "__metric" {
        continue  // a label for reports
      } else if name.hasPrefix("__metadata:") {
        metadata[String(name.dropFirst("__metadata:".count))] = .string(value)
      } else if name == "__providerOutput" || name.hasPrefix("__config:") {
        problems.append(
          Diagnostic(
            file: file, line: line, "PromptGate does not read promptfoo's \(name) column",
            fix: name == "__providerOutput"
              ? "remove it: the gate always asks the provider"
              : "write the assertion with its settings in a YAML tests file"))
      } else {
        vars[name] = .string(value)
      }
    }
    fields["vars"] = .object(vars)
    if !asserts.isEmpty { fields["assert"] = .array(asserts) }
    if !options.isEmpty { fields["options"] = .object(options) }
    if !metadata.isEmpty { fields["metadata"] = .object(metadata) }
    return .object(fields)
  }

  /// promptfoo's assertionFromString: `grade:`/`llm-rubric:` text, `javascript:`/`fn:`/`eval:`
  /// and `python:` code, `[not-]type[(threshold)][:value]`, and otherwise `equals` the text.
  static func assertion(_ expected: String) -> JSONValue {
    for (prefix, type) in [
      ("javascript:", "javascript"), ("fn:", "javascript"), ("eval:", "javascript"),
      ("python:", "python"),
    ] where expected.hasPrefix(prefix) {
      return .object([
        "type": .string(type),
        "value": .string(
          String(expected.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)),
      ])
    }
    for prefix in ["grade:", "llm-rubric:"] where expected.hasPrefix(prefix) {
      return .object([
        "type": .string("llm-rubric"), "value": .string(String(expected.dropFirst(prefix.count))),
      ])
    }
    if expected.hasPrefix("file://") {
      return .object(["type": .string("javascript"), "value": .string(expected)])
    }
    // [not-]type, then an optional (threshold), then an optional :value.
    var rest = Substring(expected)
    let negated = rest.hasPrefix("not-")
    if negated { rest = rest.dropFirst(4) }
    let typeEnd = rest.firstIndex { $0 == ":" || $0 == "(" } ?? rest.endIndex
    let type = String(rest[..<typeEnd])
    guard promptfooTypes.contains(type) else {
      return .object(["type": .string("equals"), "value": .string(expected)])
    }
    rest = rest[typeEnd...]
    var threshold: Double?
    if rest.hasPrefix("(") {
      guard let close = rest.firstIndex(of: ")"),
        let number = Double(rest[rest.index(after: rest.startIndex)..<close]),
        number >= 0
      else { return .object(["type": .string("equals"), "value": .string(expected)]) }
      threshold = number
      rest = rest[rest.index(after: close)...]
    }
    var value: String?
    if rest.hasPrefix(":") {
      value = String(rest.dropFirst())
    } else if !rest.isEmpty {
      return .object(["type": .string("equals"), "value": .string(expected)])
    }
    var fields: [String: JSONValue] = ["type": .string((negated ? "not-" : "") + type)]
    if type.hasSuffix("-any") || type.hasSuffix("-all") {
      let parts = (value ?? "").split(separator: ",", omittingEmptySubsequences: false)
        .map { JSONValue.string($0.trimmingCharacters(in: .whitespaces)) }
      fields["value"] = .array(parts)
    } else if let value {
      fields["value"] = .string(value.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    // promptfoo's CSV reader gives these types a threshold of 0.75 when none is written.
    if threshold == nil, ["levenshtein", "latency", "cost"].contains(type) { threshold = 0.75 }
    if let threshold { fields["threshold"] = .number(threshold) }
    return .object(fields)
  }

  /// A CSV problem at a line.
  struct Problem: Error {
    let line: Int
    let message: String
  }

  /// The records of RFC 4180 text with their starting lines; blank lines are skipped.
  static func records(_ text: String) throws(Problem) -> [(line: Int, fields: [String])] {
    var records: [(line: Int, fields: [String])] = []
    var fields: [String] = []
    var field = ""
    var line = 1
    var start = 1
    var inQuotes = false
    var fieldQuoted = false
    var recordQuoted = false
    var scalars = Array(text.unicodeScalars)[...]
    func endField() {
      fields.append(field)
      field = ""
      fieldQuoted = false
    }
    func endRecord() {
      endField()
      if !(fields.count == 1 && fields[0].isEmpty && !recordQuoted) {
        records.append((start, fields))
      }
      fields = []
      recordQuoted = false
    }
    while let scalar = scalars.first {
      scalars = scalars.dropFirst()
      if inQuotes {
        if scalar == "\"" {
          if scalars.first == "\"" {
            field.unicodeScalars.append("\"")
            scalars = scalars.dropFirst()
          } else {
            inQuotes = false
          }
        } else {
          if scalar == "\n" { line += 1 }
          field.unicodeScalars.append(scalar)
        }
        continue
      }
      switch scalar {
      case "\"":
        guard field.isEmpty, !fieldQuoted else {
          throw Problem(line: line, message: "a quote inside an unquoted field")
        }
        inQuotes = true
        fieldQuoted = true
        recordQuoted = true
      case ",":
        endField()
      case "\r", "\n":
        if scalar == "\r", scalars.first == "\n" { scalars = scalars.dropFirst() }
        endRecord()
        line += 1
        start = line
      default:
        if fieldQuoted { throw Problem(line: line, message: "text after a closing quote") }
        field.unicodeScalars.append(scalar)
      }
    }
    if inQuotes { throw Problem(line: start, message: "a quoted field is never closed") }
    if !field.isEmpty || !fields.isEmpty || recordQuoted { endRecord() }
    return records
  }
}
