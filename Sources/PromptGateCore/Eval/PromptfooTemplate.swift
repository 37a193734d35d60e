import Foundation

/// The subset of Nunjucks that promptfoo applies to assertion values, rendered with a case's
/// vars: `{{ name }}` and `{{ name.key }}`. Anything else Nunjucks would do (filters, tags,
/// comments, whitespace control, an undefined variable, an object printed as `[object Object]`)
/// is refused with a reason, never passed through literally.
enum PromptfooTemplate {
  /// `text` with each `{{ ... }}` replaced, or why PromptGate cannot render it as promptfoo does.
  static func render(_ text: String, vars: [String: JSONValue]) -> Result<String, TemplateProblem> {
    guard text.utf8.contains(UInt8(ascii: "{")) else { return .success(text) }
    for opener in ["{%", "{#"] where text.contains(opener) {
      return .failure(
        TemplateProblem(
          "\(Diagnostic.quote(text)) uses a Nunjucks \(opener == "{%" ? "tag" : "comment") "
            + "(\(opener) ... \(opener == "{%" ? "%}" : "#}")), which PromptGate does not render",
          fix: "write the value without it; PromptGate renders only {{ name }} and {{ name.key }}"))
    }
    var result = ""
    var rest = Substring(text)
    while let open = rest.range(of: "{{") {
      result += rest[..<open.lowerBound]
      let after = rest[open.upperBound...]
      guard let close = after.range(of: "}}") else {
        return .failure(
          TemplateProblem(
            "\(Diagnostic.quote(text)) opens {{ without closing it",
            fix: "close it with }}, as Nunjucks requires"))
      }
      let expression = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      switch value(of: String(expression), in: vars) {
      case .success(let shown): result += shown
      case .failure(let problem): return .failure(problem)
      }
      rest = after[close.upperBound...]
    }
    return .success(result + rest)
  }

  /// The text Nunjucks prints for `expression`, within the supported subset.
  private static func value(of expression: String, in vars: [String: JSONValue])
    -> Result<String, TemplateProblem>
  {
    let path = expression.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let isName = { (part: String) in
      guard let first = part.unicodeScalars.first, !("0"..."9").contains(first) else {
        return false
      }
      return part.unicodeScalars.allSatisfy {
        $0 == "_" || $0 == "$" || ("a"..."z").contains($0) || ("A"..."Z").contains($0)
          || ("0"..."9").contains($0)
      }
    }
    guard path.allSatisfy(isName) else {
      return .failure(
        TemplateProblem(
          "{{ \(expression) }} is beyond the Nunjucks PromptGate renders (filters, calls, "
            + "indexes and whitespace control are not supported)",
          fix: "write {{ name }} or {{ name.key }}, or the literal text"))
    }
    var current: JSONValue? = vars[path[0]]
    for key in path.dropFirst() {
      if case .object(let members)? = current {
        current = members[key]
      } else {
        current = nil
      }
    }
    switch current {
    case nil:
      return .failure(
        TemplateProblem(
          "{{ \(expression) }} names no variable of the case (promptfoo would print nothing)",
          fix: "define it under the case's vars, or write the literal text"))
    case .null?:
      return .success("")
    case .array?, .object?:
      return .failure(
        TemplateProblem(
          "{{ \(expression) }} is \(current?.typeName ?? "a value") (promptfoo would print it as "
            + "JavaScript does, such as [object Object])",
          fix: "name a text or number inside it, such as {{ \(expression).key }}"))
    case let scalar?:
      return .success(scalar.scalarText ?? "")
    }
  }

  /// Whether any string inside `value` holds template syntax.
  static func hasSyntax(_ value: JSONValue) -> Bool {
    switch value {
    case .string(let text): return text.contains("{{") || text.contains("{%")
    case .array(let list): return list.contains(where: hasSyntax)
    case .object(let members): return members.values.contains(where: hasSyntax)
    default: return false
    }
  }
}

/// Why a template cannot be rendered as promptfoo renders it.
struct TemplateProblem: Error {
  let message: String
  let fix: String
  init(_ message: String, fix: String) {
    self.message = message
    self.fix = fix
  }
}
