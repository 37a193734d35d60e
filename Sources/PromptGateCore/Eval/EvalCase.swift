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
  /// promptfoo's test `threshold`: when set, a run passes when its weighted score (each
  /// assertion's score, 1 or 0 for deterministic ones, weighted by `weight`) reaches it, even
  /// if some assertions fail; nil means every assertion must pass.
  public var threshold: Double?
  /// The fields of an Inspect sample that Inspect's default field mapping ignores, and so
  /// PromptGate too (`check-config` reports them once per file), sorted.
  public var ignoredFields: [String] = []

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
  /// Where messages name the case's file, when it is not the eval set's file (a promptfoo
  /// `tests: file://...` reference).
  var location: String?
}

extension EvalCase {
  /// Keys of a native or promptfoo case. promptfoo's `metadata` is accepted and ignored;
  /// `options` and `threshold` are checked before (``PromptfooSuite``): what would change a
  /// score is refused there.
  static let nativeKeys = [
    "id", "description", "vars", "assert", "metadata", "options", "threshold",
  ]

  /// The fields Inspect AI's default field mapping reads; any other field of a sample is ignored,
  /// as Inspect ignores it. `sandbox`, `files` and `setup` configure Inspect solvers PromptGate
  /// does not run.
  static let inspectKeys = [
    "input", "target", "id", "metadata", "choices", "sandbox", "files", "setup",
  ]

  /// Checks `source` and builds the case, reporting every problem in it.
  static func decode(_ source: CaseSource, file: String) throws(Diagnostics) -> EvalCase {
    guard case .object(let fields) = source.value else {
      throw Diagnostics([
        Diagnostic(
          file: file, line: source.line, "a case must be a mapping, not \(source.value.typeName)",
          fix: source.value.scalarText?.hasPrefix("file://") == true
            ? "a file:// reference is read only from a config's tests: list, not from a file "
              + "it names; list the cases inline"
            : "write each case as {\"vars\": {...}, \"assert\": [...]}")
      ])
    }
    return try decode(source, fields: CaseFields(fields), file: file)
  }

  /// ``decode(_:file:)`` for a case whose fields are found already.
  static func decode(_ source: CaseSource, fields found: borrowing CaseFields, file: String)
    throws(Diagnostics) -> EvalCase
  {
    var problems: [Diagnostic] = []
    func report(_ message: String, key: String? = nil, fix: String? = nil) {
      let line = key.flatMap { source.keyLines[$0] } ?? source.line
      problems.append(Diagnostic(file: file, line: line, message, fix: fix))
    }
    let fields = found.all
    let inspect = found.isInspectSample
    let unknown =
      inspect || !found.hasOtherThanNative ? [] : fields.keys.filter { !nativeKeys.contains($0) }
    for key in unknown.sorted() {
      let fix =
        "a case has id, description, vars and assert (promptfoo's metadata is ignored); put "
        + "the provider's inputs under vars"
      report("unknown key \(Diagnostic.quote(key)) in a case", key: key, fix: fix)
    }
    if inspect, let choices = found.choices, choices != .null {
      report(
        "PromptGate does not score an Inspect sample with choices: Inspect scores it with its "
          + "choice() scorer, on the letter its multiple_choice() solver makes the model write "
          + "(ANSWER: A), and PromptGate runs neither",
        key: "choices",
        fix: "drop choices and write the correct choice's text as target (scored as includes() "
          + "scores it), or put the choices into input yourself")
    }

    var id: String?
    switch found.id {
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
      switch found.description {
      case nil, .null?: break
      case .string(let text)?: description = text
      case let other?: report("description must be text, not \(other.typeName)", key: "description")
      }
    }

    var vars: [String: JSONValue] = [:]
    var assertions: [Assertion] = []
    if inspect {
      vars = inspectVars(found, report: report)
      assertions = inspectAssertions(found.target, report: report)
    } else {
      switch found.vars {
      case nil, .null?: break
      case .object(let members)?: vars = members
      case let other?:
        report(
          "vars must be a mapping of names to values, not \(other.typeName)", key: "vars",
          fix: "write it as vars: {question: ...}")
      }
      switch found.assert {
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
    var threshold: Double?
    if !inspect {
      switch found.threshold {
      case nil, .null?: break
      // promptfoo applies a threshold only when it is truthy: 0 means none.
      case .number(let number)? where number.isFinite && number >= 0:
        threshold = number == 0 ? nil : number
      case let other?:
        report(
          "threshold must be a number from 0 to 1, not \(other.typeName)", key: "threshold",
          fix: "write it as threshold: 0.8 (the weighted share of assertions that must pass)")
      }
    }
    guard problems.isEmpty else { throw Diagnostics(problems) }
    let resolvedID =
      id ?? description.flatMap { $0.isEmpty ? nil : $0 } ?? "case-\(source.position)"
    var evalCase = EvalCase(
      id: resolvedID, description: description, vars: vars, assertions: assertions,
      line: source.line)
    evalCase.threshold = threshold
    if inspect, found.hasOtherThanInspect {
      evalCase.ignoredFields = fields.keys.filter { !inspectKeys.contains($0) }.sorted()
    }
    return evalCase
  }

  /// `{"input": input}`, plus `{"metadata": metadata}` when the sample has metadata.
  private static func inspectVars(
    _ fields: borrowing CaseFields, report: (String, String?, String?) -> Void
  ) -> [String: JSONValue] {
    let input = fields.input ?? .null
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
    switch fields.metadata {
    case nil, .null?: break
    case .object(let members)?: vars["metadata"] = .object(members)
    case .string(let text)?:
      // Inspect parses metadata given as JSON text (json.loads).
      if case .object(let members)? = try? JSONText.parse(text) {
        vars["metadata"] = .object(members)
      } else {
        report(
          "metadata is text that is not a JSON object (Inspect parses metadata given as text "
            + "with json.loads)", "metadata", "write it as a mapping, or as a JSON object in text")
      }
    case let other?:
      report(
        "metadata must be a mapping (or a JSON object in text), not \(other.typeName)",
        "metadata", nil)
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
    case .number?, .bool?:
      return inspectAssertions(.string(pythonText(target ?? .null) ?? ""), report: report)
    case .array(let list)?:
      let texts = list.compactMap { value -> String? in
        guard let text = pythonText(value), !text.isEmpty else { return nil }
        return text
      }
      guard texts.count == list.count else {
        report("every target in the list must be non-empty text or a number", "target", nil)
        return []
      }
      guard !texts.isEmpty else { return [] }
      return [
        Assertion(type: "icontains-any", kind: .contains(texts, mode: .any, caseInsensitive: true))
      ]
    case let other?:
      report(
        "target must be text, a number or a list of them, not \(other.typeName)", "target",
        "write it as target: \"expected answer\"")
      return []
    }
  }

  /// A target value as Inspect reads it (Python's `str`): numbers and booleans become text.
  private static func pythonText(_ value: JSONValue) -> String? {
    switch value {
    case .string(let text): return text
    case .bool(let flag): return flag ? "True" : "False"
    case .number(let number):
      return number.rounded() == number && abs(number) < 1e16
        ? String(Int64(number)) : CanonicalJSON.format(number)
    default: return nil
    }
  }
}
