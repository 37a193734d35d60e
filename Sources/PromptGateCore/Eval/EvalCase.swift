/// One eval case: the variables a provider runs with and the assertions its output must pass.
public struct EvalCase: Sendable, Hashable {
  /// The case's id: its `id` (text, or a whole number as text), else its `description`, else
  /// `case-N` for the N-th case of its file.
  public let id: String
  /// The author's description.
  public let description: String?
  /// The variables the provider fills its template with.
  public let vars: [String: JSONValue]
  /// The checks on the output.
  public let assertions: [Assertion]
  /// The 1-based line where the case starts in its file.
  public let line: Int

  /// Creates a case.
  public init(
    id: String, description: String? = nil, vars: [String: JSONValue] = [:],
    assertions: [Assertion] = [], line: Int
  ) {
    self.id = id
    self.description = description
    self.vars = vars
    self.assertions = assertions
    self.line = line
  }

  /// What produces the output, for result keys: .object(["id": .string(id), "vars": .object(vars)]).
  /// Assertions are NOT part of it (scoring happens when results are read).
  public var content: JSONValue { .object(["id": .string(id), "vars": .object(vars)]) }
}

/// A case as read from a file, before it is checked: its value and where its parts start.
struct CaseSource {
  /// The case as JSON.
  var value: JSONValue
  /// The line where it starts.
  var line: Int
  /// Its 1-based position among the file's cases.
  var position: Int
  /// The line of each top-level key, when the format tells (YAML).
  var keyLines: [String: Int] = [:]
  /// The line of each `assert` entry, when the format tells (YAML).
  var assertionLines: [Int] = []
}

extension EvalCase {
  /// Keys of a native or promptfoo case. promptfoo's `metadata`, `options` (output transforms,
  /// provider overrides) and `threshold` (a weighted-score pass mark) are accepted and ignored:
  /// they do not change what the provider is asked, and PromptGate passes a case only when every
  /// assertion passes.
  static let nativeKeys = [
    "id", "description", "vars", "assert", "metadata", "options", "threshold",
  ]

  /// Keys of an Inspect AI sample; `choices`, `sandbox`, `files` and `setup` are accepted and
  /// ignored (they configure Inspect solvers PromptGate does not run).
  static let inspectKeys = [
    "input", "target", "id", "metadata", "choices", "sandbox", "files", "setup",
  ]

  /// Checks `source` and builds the case, reporting every problem in it.
  static func decode(_ source: CaseSource, file: String) throws(Diagnostics) -> EvalCase {
    var problems: [Diagnostic] = []
    func report(_ message: String, key: String? = nil, fix: String? = nil) {
      let line = key.flatMap { source.keyLines[$0] } ?? source.line
      problems.append(Diagnostic(file: file, line: line, message, fix: fix))
    }
    guard case .object(let fields) = source.value else {
      throw Diagnostics([
        Diagnostic(
          file: file, line: source.line, "a case must be a mapping, not \(source.value.typeName)",
          fix: "write each case as {\"vars\": {...}, \"assert\": [...]}")
      ])
    }
    let inspect = fields["input"] != nil && fields["vars"] == nil
    let known = inspect ? inspectKeys : nativeKeys
    for key in fields.keys.sorted() where !known.contains(key) {
      let fix =
        inspect
        ? "an Inspect sample has input, target, id and metadata (choices, sandbox, files and "
          + "setup are ignored)"
        : "a case has id, description, vars and assert (promptfoo's metadata, options and "
          + "threshold are ignored); put the provider's inputs under vars"
      report("unknown key \(Diagnostic.quote(key)) in a case", key: key, fix: fix)
    }

    var id: String?
    switch fields["id"] {
    case nil, .null?: break
    case .string(let text)? where !text.isEmpty: id = text
    case .number(let number)? where number.rounded() == number && abs(number) < 1e15:
      id = String(Int64(number))
    case let other?:
      report(
        "a case's id must be non-empty text or a whole number, not \(other.typeName)", key: "id")
    }
    var description: String?
    if !inspect {
      switch fields["description"] {
      case nil, .null?: break
      case .string(let text)?: description = text
      case let other?: report("description must be text, not \(other.typeName)", key: "description")
      }
    }

    var vars: [String: JSONValue] = [:]
    var assertions: [Assertion] = []
    if inspect {
      vars = inspectVars(fields, report: report)
      assertions = inspectAssertions(fields["target"], report: report)
    } else {
      switch fields["vars"] {
      case nil, .null?: break
      case .object(let members)?: vars = members
      case let other?:
        report(
          "vars must be a mapping of names to values, not \(other.typeName)", key: "vars",
          fix: "write it as vars: {question: ...}")
      }
      switch fields["assert"] {
      case nil, .null?: break
      case .array(let entries)?:
        for (index, entry) in entries.enumerated() {
          let line =
            index < source.assertionLines.count ? source.assertionLines[index] : source.line
          do {
            assertions.append(try Assertion.parse(entry, file: file, line: line))
          } catch {
            problems.append(error)
          }
        }
      case let other?:
        report(
          "assert must be a list of assertions, not \(other.typeName)", key: "assert",
          fix: "write it as assert: [{type: icontains, value: refund}]")
      }
    }
    guard problems.isEmpty else { throw Diagnostics(problems) }
    let resolvedID =
      id ?? description.flatMap { $0.isEmpty ? nil : $0 } ?? "case-\(source.position)"
    return EvalCase(
      id: resolvedID, description: description, vars: vars, assertions: assertions,
      line: source.line)
  }

  /// `{"input": input}`, plus `{"metadata": metadata}` when the sample has metadata.
  private static func inspectVars(
    _ fields: [String: JSONValue], report: (String, String?, String?) -> Void
  ) -> [String: JSONValue] {
    let input = fields["input"] ?? .null
    let messageFix =
      "write input as text, or as a list of chat messages such as "
      + "[{role: user, content: \"...\"}]"
    switch input {
    case .string: break
    case .array(let messages) where !messages.isEmpty:
      for (index, message) in messages.enumerated() {
        guard case .object(let parts) = message, case .string? = parts["role"],
          let content = parts["content"], content != .null
        else {
          report(
            "input message \(index + 1) must be a mapping with role and content", "input",
            messageFix)
          continue
        }
      }
    default:
      report(
        "input must be text or a list of chat messages, not \(input.typeName)", "input",
        messageFix)
    }
    var vars: [String: JSONValue] = ["input": input]
    switch fields["metadata"] {
    case nil, .null?: break
    case .object(let members)?: vars["metadata"] = .object(members)
    case let other?: report("metadata must be a mapping, not \(other.typeName)", "metadata", nil)
    }
    return vars
  }

  /// Inspect's `includes()` scorer: the output contains the target, ignoring case (any of them
  /// for a list); no assertion without a target (an empty one matches every output).
  private static func inspectAssertions(
    _ target: JSONValue?, report: (String, String?, String?) -> Void
  ) -> [Assertion] {
    switch target {
    case nil, .null?, .string("")?:
      return []
    case .string(let text)?:
      return [
        Assertion(type: "icontains", kind: .contains([text], mode: .one, caseInsensitive: true))
      ]
    case .array(let list)?:
      let texts = list.compactMap { value -> String? in
        if case .string(let text) = value, !text.isEmpty { return text }
        return nil
      }
      guard texts.count == list.count else {
        report("every target in the list must be non-empty text", "target", nil)
        return []
      }
      guard !texts.isEmpty else { return [] }
      return [
        Assertion(type: "icontains-any", kind: .contains(texts, mode: .any, caseInsensitive: true))
      ]
    case let other?:
      report(
        "target must be text or a list of texts, not \(other.typeName)", "target",
        "write it as target: \"expected answer\"")
      return []
    }
  }
}
