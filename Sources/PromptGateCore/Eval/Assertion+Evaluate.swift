import Foundation

/// What deterministic assertions need beyond the output itself.
public struct AssertionContext: Sendable {
  /// Phrases that mark a refusal, matched as case-insensitive substrings (a typographic
  /// apostrophe in the output matches a straight one in a phrase).
  public var refusalPhrases: [String]
  /// This output's cost from the price table; nil when unknown.
  public var cost: Double?

  /// The refusal phrases used when a mapping names none.
  public static let defaultRefusalPhrases = [
    "I can't help", "I cannot help", "I can't assist", "I cannot assist", "I'm sorry, but I",
    "I am unable to", "I'm unable to", "I won't be able to", "As an AI",
  ]

  /// Creates a context.
  public init(
    refusalPhrases: [String] = AssertionContext.defaultRefusalPhrases, cost: Double? = nil
  ) {
    self.refusalPhrases = refusalPhrases
    self.cost = cost
  }
}

/// The result of one assertion on one output.
public struct AssertionOutcome: Sendable, Hashable, Codable {
  /// True when the assertion holds (after any `not-`).
  public let pass: Bool
  /// The score, for kinds that produce one (command, llm-rubric); nil for deterministic kinds.
  public let score: Double?
  /// A short sentence saying what was expected and, on failure, what was found.
  public let reason: String

  /// Creates an outcome.
  public init(pass: Bool, score: Double? = nil, reason: String) {
    self.pass = pass
    self.score = score
    self.reason = reason
  }
}

extension Assertion {
  /// Deterministic kinds; nil for .command and .rubric (the gate runs those).
  public func evaluate(_ output: ProviderOutput, context: AssertionContext) -> AssertionOutcome? {
    let check: Check
    switch kind {
    case .command, .rubric:
      return nil
    case .cost(let bound):
      guard let cost = context.cost else {
        let model = output.model.map { "model '\($0)'" } ?? "the model (the provider named none)"
        return AssertionOutcome(
          pass: false, reason: "cannot check cost: the price table lacks \(model)")
      }
      let spent = "it cost \(number(cost))"
      check = Check(
        cost <= bound, "the call", "cost at most \(number(bound))", found: spent,
        foundWhenHeld: spent)
    case .latency(let bound):
      let took = "it took \(number(output.latencyMs)) ms"
      check = Check(
        output.latencyMs <= bound, "the call", "take at most \(number(bound)) ms", found: took,
        foundWhenHeld: took)
    default:
      check = Self.check(kind, output, context)
    }
    let pass = check.holds != negated
    let not = negated ? "not " : ""
    if pass {
      return AssertionOutcome(pass: true, reason: "\(check.subject) did \(not)\(check.affirm)")
    }
    let found = (negated ? check.foundWhenHeld : check.found).map { "; \($0)" } ?? ""
    return AssertionOutcome(
      pass: false, reason: "expected \(check.subject) \(not)to \(check.affirm)\(found)")
  }

  /// Whether the positive form holds, how to say what it expects, and what was found instead.
  private struct Check {
    var holds: Bool
    /// Who the clause is about: "output", "the model", "the call".
    var subject: String
    /// An infinitive clause: "contain 'refund'".
    var affirm: String
    /// What was observed when the positive form failed.
    var found: String?
    /// What was observed when the positive form held (shown for a failed `not-`).
    var foundWhenHeld: String?

    init(
      _ holds: Bool, _ subject: String, _ affirm: String, found: String? = nil,
      foundWhenHeld: String? = nil
    ) {
      self.holds = holds
      self.subject = subject
      self.affirm = affirm
      self.found = found
      self.foundWhenHeld = foundWhenHeld
    }
  }

  private static func check(_ kind: Kind, _ output: ProviderOutput, _ context: AssertionContext)
    -> Check
  {
    let text = output.output
    switch kind {
    case .equals(.string(let expected)):
      return Check(
        text == expected, "output", "equal \(quote(expected))", found: "it was \(quote(text))")
    case .equals(let expected):
      let affirm = "equal the JSON \(json(expected))"
      switch parse(text) {
      case .success(let value):
        return Check(value == expected, "output", affirm, found: "it was \(json(value))")
      case .failure(let problem):
        return Check(false, "output", affirm, found: problem.description)
      }
    case .contains(let needles, let mode, let caseInsensitive):
      return contains(text, needles, mode, caseInsensitive)
    case .regex(let pattern):
      let matched =
        (try? NSRegularExpression(pattern: pattern))?.firstMatch(
          in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
      return Check(matched, "output", "match /\(pattern)/", found: "it was \(quote(text))")
    case .startsWith(let prefix):
      return Check(
        text.hasPrefix(prefix), "output", "start with \(quote(prefix))",
        found: "it starts \(quote(String(text.prefix(prefix.count + 10))))")
    case .isJSON(let schema):
      return schemaCheck(text, schema, affirm: schema == nil ? "parse as JSON" : nil)
    case .jsonSchema(let schema):
      return schemaCheck(text, schema, affirm: nil)
    case .jsonPointerEquals(let pointer, let expected):
      let affirm = "hold \(json(expected)) at \(pointer.description.isEmpty ? "/" : "\(pointer)")"
      switch parse(text) {
      case .failure(let problem):
        return Check(false, "output", affirm, found: problem.description)
      case .success(let document):
        guard case .success(let value) = pointer.resolve(in: document) else {
          return Check(false, "output", affirm, found: "nothing is at \(pointer)")
        }
        return Check(value == expected, "output", affirm, found: "found \(json(value))")
      }
    case .toolCall(let name, let arguments):
      return toolCall(output.toolCalls, name, arguments)
    case .length(let low, let high):
      let count = text.count
      let affirm: String
      switch (low, high) {
      case (let low?, let high?): affirm = "be \(low) to \(high) characters long"
      case (let low?, nil): affirm = "be at least \(low) characters long"
      default: affirm = "be at most \(high ?? 0) characters long"
      }
      let holds = count >= (low ?? 0) && count <= (high ?? Int.max)
      return Check(
        holds, "output", affirm, found: "it is \(count)", foundWhenHeld: "it is \(count)")
    case .levenshtein(let expected, let bound):
      let distance = editDistance(Array(text.utf16), Array(expected.utf16))
      let found = "its distance is \(distance)"
      return Check(
        Double(distance) <= bound, "output",
        "be within \(number(bound)) edits of \(quote(expected))", found: found,
        foundWhenHeld: found)
    case .wordCount(let low, let high):
      let count = words(in: text)
      let affirm: String
      switch (low, high) {
      case (let low?, let high?) where low == high: affirm = "have \(low) words"
      case (let low?, let high?): affirm = "have \(low) to \(high) words"
      case (let low?, nil): affirm = "have at least \(low) words"
      default: affirm = "have at most \(high ?? 0) words"
      }
      let holds = count >= (low ?? 0) && count <= (high ?? Int.max)
      return Check(
        holds, "output", affirm, found: "it has \(count)", foundWhenHeld: "it has \(count)")
    case .isRefusal:
      let refusal = refusalPhrase(in: text, context.refusalPhrases)
      return Check(
        refusal != nil, "output", "read as a refusal", found: "it was \(quote(text))",
        foundWhenHeld: refusal.map { $0.isEmpty ? "it is empty" : "it says \(quote($0))" })
    case .cost, .latency, .command, .rubric:
      preconditionFailure("handled by evaluate")
    }
  }

  private static func contains(
    _ text: String, _ needles: [String], _ mode: Kind.Match, _ caseInsensitive: Bool
  ) -> Check {
    let present = needles.filter {
      caseInsensitive ? text.range(of: $0, options: .caseInsensitive) != nil : text.contains($0)
    }
    let missing = needles.filter { !present.contains($0) }
    let list = needles.map(quote).joined(separator: ", ")
    let ignoring = caseInsensitive ? " (ignoring case)" : ""
    let holds: Bool
    let affirm: String
    switch mode {
    case .one:
      holds = !present.isEmpty
      affirm = "contain \(list)\(ignoring)"
    case .any:
      holds = !present.isEmpty
      affirm = "contain any of \(list)\(ignoring)"
    case .all:
      holds = missing.isEmpty
      affirm = "contain all of \(list)\(ignoring)"
    }
    return Check(
      holds, "output", affirm,
      found: mode == .one ? nil : "missing \(missing.map(quote).joined(separator: ", "))",
      foundWhenHeld: mode == .one ? nil : "found \(present.map(quote).joined(separator: ", "))")
  }

  private static func schemaCheck(_ text: String, _ schema: JSONSchema?, affirm: String?) -> Check {
    let affirm = affirm ?? "be JSON matching the schema"
    switch parse(text) {
    case .failure(let problem):
      return Check(false, "output", affirm, found: problem.description)
    case .success(let value):
      let violations = schema?.validate(value) ?? []
      let shown = violations.prefix(3).joined(separator: "; ")
      let more = violations.count > 3 ? " (and \(violations.count - 3) more)" : ""
      return Check(violations.isEmpty, "output", affirm, found: shown + more)
    }
  }

  private static func toolCall(_ calls: [ToolCall], _ name: String, _ arguments: JSONValue?)
    -> Check
  {
    let affirm = "call tool '\(name)'" + (arguments.map { " with arguments \(json($0))" } ?? "")
    let named = calls.filter { $0.name == name }
    let matched = named.contains { call in
      guard case .object(let expected)? = arguments else { return true }
      var actual = call.arguments
      if case .string(let raw) = actual, case .success(let parsed) = parse(raw) { actual = parsed }
      guard case .object(let given) = actual else { return false }
      return expected.allSatisfy { given[$0.key] == $0.value }
    }
    let found: String
    if calls.isEmpty {
      found = "it made no tool calls"
    } else if named.isEmpty {
      found = "it called \(calls.map { "'\($0.name)'" }.joined(separator: ", "))"
    } else {
      found = "it called it with \(named.map { json($0.arguments) }.joined(separator: ", "))"
    }
    return Check(matched, "the model", affirm, found: found, foundWhenHeld: "it did")
  }

  /// The Levenshtein distance between two sequences (insertions, deletions, substitutions).
  static func editDistance(_ left: [UInt16], _ right: [UInt16]) -> Int {
    if left.isEmpty { return right.count }
    if right.isEmpty { return left.count }
    var previous = Array(0...right.count)
    var current = Array(repeating: 0, count: right.count + 1)
    for (i, a) in left.enumerated() {
      current[0] = i + 1
      for (j, b) in right.enumerated() {
        current[j + 1] = Swift.min(
          previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[right.count]
  }

  /// promptfoo's word count: the runs of text between JavaScript whitespace (`/\s+/`).
  static func words(in text: String) -> Int {
    let javascriptSpace: Set<UInt32> = [
      0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
      0xFEFF,
    ]
    let isSpace = { (scalar: Unicode.Scalar) in
      javascriptSpace.contains(scalar.value) || (0x2000...0x200A).contains(scalar.value)
    }
    return text.unicodeScalars.split(whereSeparator: isSpace).count
  }

  /// The phrase that marks `text` as a refusal ("" when it is empty), or nil.
  static func refusalPhrase(in text: String, _ phrases: [String]) -> String? {
    let normalized = text.replacingOccurrences(of: "\u{2019}", with: "'")
    if normalized.allSatisfy(\.isWhitespace) { return "" }
    return phrases.first { phrase in
      let wanted = phrase.replacingOccurrences(of: "\u{2019}", with: "'")
      return !wanted.isEmpty && normalized.range(of: wanted, options: .caseInsensitive) != nil
    }
  }

  /// The output parsed as JSON (surrounding whitespace allowed), or why it is not JSON.
  private static func parse(_ text: String) -> Result<JSONValue, ParseProblem> {
    do {
      return .success(try JSONText.parse(text))
    } catch {
      return .failure(ParseProblem("output is not JSON (column \(error.column): \(error.message))"))
    }
  }

  private struct ParseProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  private static func quote(_ text: String) -> String {
    let limit = 80
    let shown = text.count > limit ? text.prefix(limit) + "…" : text[...]
    return "'\(shown)'"
  }

  private static func json(_ value: JSONValue) -> String {
    let text = (try? CanonicalJSON.serialize(value)) ?? "\(value)"
    return text.count > 120 ? text.prefix(120) + "…" : text
  }
}

private func number(_ value: Double) -> String { CanonicalJSON.format(value) ?? "\(value)" }
