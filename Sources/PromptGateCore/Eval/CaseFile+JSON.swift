/// `.json` case files, read by a JSON reader (YAML's reader refuses some valid JSON, such as
/// surrogate-pair escapes), with the same document shapes and messages as YAML case files.
extension CaseFile {
  static let listFix =
    "write the cases as a list (- vars: {...}), or as a mapping with a tests: list of them"
  static let promptfooFix = "write its vars and assertions into each case under tests:"
  static let noTestsMessage = "a mapping of cases needs a tests: list"
  static let testsNotListMessage = "tests must be a list of cases or a file:// reference"
  static let testsNotListFix =
    "list the cases inline, or name a file of them: tests: file://tests.yaml (a path, a glob, "
    + "or a list mixing them with inline cases)"
  static let singleValueMessage = "expected a list of cases, found a single value"

  /// A JSON document: a list of cases or an object with `tests`.
  static func jsonDocument(
    _ text: String, file: String, defaultTest: inout CaseSource?, problems: inout [Diagnostic]
  ) -> [CaseSource] {
    if text.allSatisfy(\.isWhitespace) { return [] }
    let bytes = Array(text.utf8)
    let root: JSONValue
    do {
      root = try JSONFile.parse(bytes, file: file)
    } catch {
      problems.append(error)
      return []
    }
    let outline = JSONOutline(bytes)
    if let duplicate = outline?.firstDuplicateKey {
      problems.append(
        Diagnostic(
          file: file, line: duplicate.line, column: duplicate.column,
          "duplicate key '\(duplicate.key)': the first is at line \(duplicate.firstLine)",
          fix: "keep one of them; a later key would silently replace the earlier one"))
      return []
    }
    let cases: [JSONValue]
    let caseOutlines: [JSONOutline]?
    switch root {
    case .array(let list):
      cases = list
      if case .array(_, let elements)? = outline {
        caseOutlines = elements
      } else {
        caseOutlines = nil
      }
    case .object(let members):
      if (members["scenarios"] ?? .null) != .null {
        problems.append(
          Diagnostic(
            file: file, line: outline?.member("scenarios")?.line,
            "PromptGate does not apply promptfoo's scenarios", fix: promptfooFix))
      }
      switch members["defaultTest"] {
      case nil, .null?: break
      case .string(let text)? where text.hasPrefix("file://"):
        defaultTest = CaseSource(
          value: .string(text), line: outline?.member("defaultTest")?.line ?? 1, position: 0)
      case .object(let fields)?:
        let member = outline?.member("defaultTest")
        let source = Self.jsonSource(
          .object(fields), element: member?.value, line: member?.line ?? 1, position: 0)
        defaultTest = checkedDefaultTest(source, file: file, problems: &problems)
      default:
        problems.append(
          Diagnostic(
            file: file, line: outline?.member("defaultTest")?.line,
            "defaultTest must be an object (vars, assert, options, ...)",
            fix: "write the defaults inline, or name a file of them (file://defaults.yaml)"))
      }
      let testsLine = outline?.member("tests")?.line
      switch members["tests"] {
      case nil:
        problems.append(Diagnostic(file: file, line: outline?.line, noTestsMessage, fix: listFix))
        return []
      case .null?:
        return []
      case .array(let list)?:
        cases = list
        if case .array(_, let elements)? = outline?.member("tests")?.value {
          caseOutlines = elements
        } else {
          caseOutlines = nil
        }
      case .string(let text)? where text.hasPrefix("file://"):
        return [CaseSource(value: .string(text), line: testsLine ?? 1, position: 1)]
      default:
        problems.append(
          Diagnostic(file: file, line: testsLine, testsNotListMessage, fix: testsNotListFix))
        return []
      }
    default:
      problems.append(
        Diagnostic(file: file, line: outline?.line, singleValueMessage, fix: listFix))
      return []
    }

    var sources: [CaseSource] = []
    for (index, value) in cases.enumerated() {
      let element = caseOutlines.flatMap { index < $0.count ? $0[index] : nil }
      sources.append(
        jsonSource(value, element: element, line: element?.line ?? 1, position: index + 1))
    }
    return sources
  }

  /// One JSON case, with the lines of its keys and assertions from its outline.
  static func jsonSource(_ value: JSONValue, element: JSONOutline?, line: Int, position: Int)
    -> CaseSource
  {
    var source = CaseSource(value: value, line: line, position: position)
    if case .object(_, let members)? = element {
      for member in members {
        source.keyLines[member.key] = member.line
        if member.key == "assert", case .array(_, let entries) = member.value {
          source.assertionLines = entries.map(\.line)
        }
      }
    }
    return source
  }
}
