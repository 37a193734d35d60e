import Foundation

extension Assertion {
  /// Reads one entry of a case's `assert` list, written at `line` of `file`.
  public static func parse(_ value: JSONValue, file: String, line: Int) throws(Diagnostic)
    -> Assertion
  {
    guard case .object(let fields) = value else {
      throw Diagnostic(
        file: file, line: line, "an assertion must be a mapping, not \(value.typeName)",
        fix: "write it as {type: icontains, value: refund}")
    }
    var reader = FieldReader(file: file, line: line, type: "")
    let found = AssertionFields(fields)
    for key in found.hasUnknownKey ? fields.keys.filter({ !knownKeys.contains($0) }).sorted() : [] {
      if let fix = refusedKeys[key] {
        throw reader.problem("PromptGate does not apply promptfoo's assertion `\(key)`", fix: fix)
      }
      throw reader.problem(
        "unknown assertion key \(Diagnostic.quote(key))",
        fix: "use only \(knownKeys.joined(separator: ", "))")
    }
    guard case .string(let type)? = found.type else {
      throw reader.problem(
        found.type == nil
          ? "an assertion needs a `type`" : "an assertion's `type` must be text",
        fix: "use one of \(knownTypes.joined(separator: ", "))")
    }
    let negated = type.hasPrefix("not-")
    let base = negated ? String(type.dropFirst(4)) : type
    // A refused type is never a known one, so only an unknown type is looked up among them.
    guard knownTypes.contains(base) else {
      if let reason = refusedTypes[base] {
        throw reader.problem(
          "PromptGate does not support promptfoo's assertion type \(Diagnostic.quote(type)): "
            + reason.why, fix: reason.fix)
      }
      throw reader.problem(
        "unknown assertion type \(Diagnostic.quote(type))",
        fix: "use one of \(knownTypes.joined(separator: ", ")) (any but command may take a "
          + "not- prefix); for a custom check, use command")
    }
    reader.type = type
    if negated, base == "command" {
      throw reader.problem(
        "\(base) cannot be negated", fix: "write the check the other way round, as \(base)")
    }
    var description: String?
    if let note = found.description, note != .null {
      guard case .string(let text) = note else {
        throw reader.problem("`description` must be text, not \(note.typeName)")
      }
      description = text
    }
    var threshold: Double?
    if let bound = found.threshold, bound != .null {
      guard case .number(let number) = bound else {
        throw reader.problem("`threshold` must be a number, not \(bound.typeName)")
      }
      threshold = number
    }
    var weight = 1.0
    if let given = found.weight, given != .null {
      guard case .number(let number) = given, number >= 0, number.isFinite else {
        throw reader.problem("`weight` must be a number from 0, not \(given.typeName)")
      }
      weight = number
    }
    let kind = try reader.kind(base, value: found.value, threshold: threshold)
    switch kind {
    case .command, .rubric: threshold = threshold ?? defaultScoreThreshold
    case .latency, .cost: break
    case .levenshtein(_, let distance):
      // promptfoo's handler ignores not-: refuse it rather than guess.
      if negated {
        throw reader.problem(
          "promptfoo does not invert levenshtein", fix: "write the check as levenshtein")
      }
      threshold = distance
    default:
      if threshold != nil {
        throw reader.problem(
          "\(base) takes no `threshold`",
          fix: "remove it; only command, llm-rubric, levenshtein, latency and cost use one")
      }
    }
    var assertion = Assertion(
      type: type, kind: kind, negated: negated, threshold: threshold, description: description)
    assertion.weight = weight
    return assertion
  }
}

/// Reads the `value` of an assertion for its type, with diagnostics that name the type.
private struct FieldReader {
  let file: String
  let line: Int
  var type: String

  func problem(_ message: String, fix: String? = nil) -> Diagnostic {
    let context = type.isEmpty ? "" : "assertion \(Diagnostic.quote(type)): "
    return Diagnostic(file: file, line: line, context + message, fix: fix)
  }

  func kind(_ base: String, value: JSONValue?, threshold: Double?) throws(Diagnostic)
    -> Assertion.Kind
  {
    let value = value == .null ? nil : value
    func required(_ expected: String) throws(Diagnostic) -> JSONValue {
      guard let value else { throw problem("needs a `value`: \(expected)") }
      return value
    }
    func text(_ expected: String) throws(Diagnostic) -> String {
      let given = try required(expected)
      guard case .string(let text) = given, !text.isEmpty else {
        throw problem("`value` must be \(expected), not \(given.typeName)")
      }
      return text
    }
    switch base {
    case "equals":
      guard let value else { throw problem("needs a `value`: the expected text or JSON value") }
      return .equals(value)
    case "contains", "icontains":
      let given = try required("the text to look for")
      guard let needle = given.scalarText, !needle.isEmpty else {
        throw problem("`value` must be non-empty text, not \(given.typeName)")
      }
      return .contains([needle], mode: .one, caseInsensitive: base == "icontains")
    case "contains-any", "contains-all", "icontains-any", "icontains-all":
      let needles = try strings(try required("a list of texts"), splitOn: ",")
      return .contains(
        needles, mode: base.hasSuffix("-any") ? .any : .all, caseInsensitive: base.hasPrefix("i"))
    case "regex":
      let pattern = try text("a regular expression")
      do {
        _ = try NSRegularExpression(pattern: pattern)
      } catch {
        throw problem(
          "\(Diagnostic.quote(pattern)) is not a valid regular expression",
          fix: "check its brackets and escapes (ICU syntax; in YAML, quote the pattern with '...')")
      }
      return .regex(pattern)
    case "starts-with":
      return .startsWith(try text("the text the output starts with"))
    case "is-json":
      return .isJSON(
        schema: try value.map { (schema) throws(Diagnostic) in try self.schema(schema) })
    case "json-schema":
      return .jsonSchema(try schema(try required("a JSON Schema")))
    case "json-pointer":
      return try pointer(try required("{pointer: /path, equals: VALUE}"))
    case "tool-call":
      return try toolCall(try required("{name: TOOL, arguments: {...}} or the tool's name"))
    case "length":
      return try length(try required("{min: N, max: N}"))
    case "levenshtein":
      guard case .string(let expected)? = value else {
        throw problem("`value` must be the text to compare with")
      }
      return .levenshtein(expected, maxDistance: threshold ?? 5)
    case "word-count":
      let given = try required("a number of words, or {min: N, max: N}")
      if case .number(let number) = given {
        guard number >= 0, number.rounded() == number, number < 1e15 else {
          throw problem("`value` must be a whole number of words from 0")
        }
        return .wordCount(min: Int(number), max: Int(number))
      }
      guard case .length(let low, let high) = try length(given) else {
        throw problem("`value` must be a number of words, or {min: N, max: N}")
      }
      return .wordCount(min: low, max: high)
    case "latency", "cost":
      guard value == nil else {
        throw problem("takes no `value`", fix: "write the bound as `threshold`")
      }
      guard let threshold, threshold >= 0 else {
        throw problem(
          "needs a non-negative `threshold`",
          fix: base == "latency" ? "e.g. threshold: 5000 (milliseconds)" : "e.g. threshold: 0.01")
      }
      return base == "latency" ? .latency(maxMs: threshold) : .cost(max: threshold)
    case "is-refusal":
      guard value == nil else { throw problem("takes no `value`", fix: "remove it") }
      return .isRefusal
    case "command":
      return .command(try strings(try required("the program and its arguments"), splitOn: " "))
    default:  // llm-rubric
      return .rubric(try text("the rubric the judge scores against"))
    }
  }

  /// A non-empty list of texts; a single string is split on `separator` (promptfoo's
  /// comma-separated `contains-any`, a command line split on whitespace).
  func strings(_ value: JSONValue, splitOn separator: Character) throws(Diagnostic) -> [String] {
    var texts: [String] = []
    switch value {
    case .string(let text):
      texts = text.split(whereSeparator: { separator == " " ? $0.isWhitespace : $0 == separator })
        .map { $0.trimmingCharacters(in: .whitespaces) }
    case .array(let elements):
      for element in elements {
        guard let text = element.scalarText, element != .null else {
          throw problem("every entry of `value` must be text, not \(element.typeName)")
        }
        texts.append(text)
      }
    default:
      throw problem("`value` must be a list of texts, not \(value.typeName)")
    }
    texts.removeAll { $0.isEmpty }
    guard !texts.isEmpty else { throw problem("`value` must list at least one non-empty text") }
    return texts
  }

  func schema(_ value: JSONValue) throws(Diagnostic) -> JSONSchema {
    do {
      return try JSONSchema(value)
    } catch {
      throw problem(
        "invalid schema: \(error.message)",
        fix: "correct the schema; a keyword PromptGate cannot check is refused rather than skipped")
    }
  }

  func members(_ value: JSONValue, allowed: [String], form: String) throws(Diagnostic)
    -> [String: JSONValue]
  {
    guard case .object(let members) = value else {
      throw problem("`value` must be a mapping \(form), not \(value.typeName)")
    }
    for key in members.keys.sorted() where !allowed.contains(key) {
      throw problem("unknown key \(Diagnostic.quote(key)) in `value`", fix: "write it as \(form)")
    }
    return members
  }

  func pointer(_ value: JSONValue) throws(Diagnostic) -> Assertion.Kind {
    let form = "{pointer: /path, equals: VALUE}"
    let members = try members(value, allowed: ["pointer", "equals"], form: form)
    guard case .string(let text)? = members["pointer"], let pointer = JSONPointer(text) else {
      throw problem(
        "`value.pointer` must be a JSON Pointer such as /answer/0",
        fix: "start it with / and escape ~ as ~0 and / as ~1")
    }
    guard let expected = members["equals"] else {
      throw problem("`value` needs `equals`", fix: "write it as \(form)")
    }
    return .jsonPointerEquals(pointer: pointer, value: expected)
  }

  func toolCall(_ value: JSONValue) throws(Diagnostic) -> Assertion.Kind {
    if case .string(let name) = value, !name.isEmpty {
      return .toolCall(name: name, arguments: nil)
    }
    let form = "{name: TOOL, arguments: {KEY: VALUE}}"
    let members = try members(value, allowed: ["name", "arguments"], form: form)
    guard case .string(let name)? = members["name"], !name.isEmpty else {
      throw problem("`value.name` must be the tool's name", fix: "write it as \(form)")
    }
    let arguments = members["arguments"].flatMap { $0 == .null ? nil : $0 }
    if let arguments, case .object = arguments {
    } else if let arguments {
      throw problem("`value.arguments` must be a mapping, not \(arguments.typeName)")
    }
    return .toolCall(name: name, arguments: arguments)
  }

  func length(_ value: JSONValue) throws(Diagnostic) -> Assertion.Kind {
    let members = try members(value, allowed: ["min", "max"], form: "{min: N, max: N}")
    var bounds: [Int?] = []
    for key in ["min", "max"] {
      guard let bound = members[key], bound != .null else {
        bounds.append(nil)
        continue
      }
      guard case .number(let number) = bound, number >= 0, number.rounded() == number,
        number < 1e15
      else { throw problem("`value.\(key)` must be a non-negative whole number") }
      bounds.append(Int(number))
    }
    guard bounds.contains(where: { $0 != nil }) else {
      throw problem("`value` needs `min`, `max` or both")
    }
    if let low = bounds[0], let high = bounds[1], low > high {
      throw problem("`value.min` (\(low)) is greater than `value.max` (\(high))")
    }
    return .length(min: bounds[0], max: bounds[1])
  }
}
