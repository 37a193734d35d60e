import Yams

/// Reads an eval set's case file: native or promptfoo cases, or Inspect AI samples.
///
/// `.jsonl` holds one JSON object per non-blank line. `.yaml`, `.yml` and `.json` hold a list of
/// cases, or a mapping whose `tests:` is that list or names files of them (a promptfoo config;
/// `defaultTest` is merged in, other keys are ignored). `.csv` is promptfoo's test CSV or
/// Inspect's CSV samples. A case is `{id, description, vars, assert}`; one with `input` and no
/// `vars` is an Inspect sample `{input, target, id, metadata}`, whose target becomes an
/// `icontains` assertion. docs/compatibility.md lists every construct.
public enum CaseFile {
  /// The cases in `bytes`, the contents of `file` (whose extension picks the format); throws
  /// every problem found, each with its line and the fix.
  public static func parse(_ bytes: [UInt8], file: String) throws(Diagnostics) -> [EvalCase] {
    try parse(bytes, file: file, path: nil, tree: nil)
  }

  /// The cases in `bytes`, the contents of the repository file `path` (shown as `file`), with
  /// the `file://` references promptfoo's format allows read from `tree`.
  public static func parse(_ bytes: [UInt8], file: String, path: String?, tree: CaseTree?)
    throws(Diagnostics) -> [EvalCase]
  {
    var problems: [Diagnostic] = []
    let baseDirectory = path.map(CaseTree.directory(of:)) ?? ""
    var parts: [[Outcome]]
    let emptyFix: String
    if file.lowercased().hasSuffix(".jsonl"),
      let found = jsonLinesOutcomes(
        withoutByteOrderMark(bytes), file: file,
        suite: PromptfooSuite(
          file: file, baseDirectory: baseDirectory, tree: tree, defaultTest: nil))
    {
      (parts, emptyFix) = (found, jsonLinesFix)
    } else {
      (parts, emptyFix) = try outcomesInTwoPasses(
        bytes, file: file, baseDirectory: baseDirectory, tree: tree, problems: &problems)
    }

    var cases: [EvalCase] = []
    var seen: [String: (String, Int)] = [:]
    let count = parts.reduce(0) { $0 + $1.count }
    cases.reserveCapacity(count)
    seen.reserveCapacity(count)
    for slot in parts.indices {
      // Each part is released once merged, so that at most one is held twice.
      var part: [Outcome] = []
      swap(&part, &parts[slot])
      // Read in place: an outcome is not copied on its way into the list.
      for index in part.indices {
        switch part[index] {
        case .problem(let problem): problems.append(problem)
        case .refused(let items): problems += items
        case .built(let evalCase, let location):
          // One lookup per case: a repeated id puts the first case's place back.
          if let (firstFile, firstLine) = seen.updateValue(
            (location, evalCase.line), forKey: evalCase.id)
          {
            seen[evalCase.id] = (firstFile, firstLine)
            let there = firstFile == location ? "" : " of \(firstFile)"
            problems.append(
              Diagnostic(
                file: location, line: evalCase.line,
                "case id '\(evalCase.id)' at line \(evalCase.line) is also the id of the case at "
                  + "line \(firstLine)\(there)",
                fix: "give each case a distinct id; results are recorded by case id"))
          }
          cases.append(evalCase)
        }
      }
    }
    if problems.isEmpty, cases.isEmpty {
      problems.append(Diagnostic(file: file, "has no cases", fix: emptyFix))
    }
    guard problems.isEmpty else {
      throw Diagnostics(
        problems.enumerated().sorted {
          let left = ($0.element.file == file ? 0 : 1, $0.element.line ?? 0, $0.offset)
          let right = ($1.element.file == file ? 0 : 1, $1.element.line ?? 0, $1.offset)
          return left < right
        }.map(\.element))
    }
    return cases
  }

  /// The outcomes of a file read in two passes: its case sources first (a document's, and those
  /// of the files its `tests:` names), then each expanded and decoded.
  private static func outcomesInTwoPasses(
    _ bytes: [UInt8], file: String, baseDirectory: String, tree: CaseTree?,
    problems: inout [Diagnostic]
  ) throws(Diagnostics) -> ([[Outcome]], String) {
    var defaultTest: CaseSource?
    var (sources, emptyFix) = try Self.sources(
      bytes, file: file, defaultTest: &defaultTest, problems: &problems)
    if let reference = defaultTest, case .string(let text) = reference.value {
      defaultTest = referencedDefaultTest(
        String(text.dropFirst(7)), at: reference.line, file: file, baseDirectory: baseDirectory,
        tree: tree, problems: &problems)
    }
    // A `tests:` entry that names other files (`file://`) stands for the cases they hold.
    if sources.contains(where: { referencedPath($0) != nil }) {
      let raw = sources
      sources = []
      for source in raw {
        if let text = referencedPath(source) {
          sources += referencedSources(
            text, at: source.line, file: file,
            baseDirectory: baseDirectory, tree: tree, problems: &problems)
        } else {
          sources.append(source)
        }
      }
      if sources.count != raw.count {
        for index in sources.indices { sources[index].position = index + 1 }
      }
    }
    let suite = PromptfooSuite(
      file: file, baseDirectory: baseDirectory, tree: tree, defaultTest: defaultTest)
    return (outcomes(of: &sources, suite: suite), emptyFix)
  }

  /// The files a `tests:` entry names (`file://`), or nil when it is a case.
  static func referencedPath(_ source: CaseSource) -> String? {
    guard case .string(let text) = source.value, text.hasPrefix("file://") else { return nil }
    return String(text.dropFirst(7))
  }

  /// `bytes` without a leading UTF-8 byte order mark.
  static func withoutByteOrderMark(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
  }

  /// The fix shown for a JSON Lines file without cases.
  static let jsonLinesFix =
    "write one case per line, such as {\"vars\": {\"question\": \"...\"}, \"assert\": "
    + "[{\"type\": \"icontains\", \"value\": \"...\"}]}"

  /// A warning naming the Inspect sample fields in `cases` that are ignored (as Inspect's default
  /// field mapping ignores them), once for the file; nil when there are none.
  public static func ignoredFieldsWarning(_ cases: [EvalCase], file: String) -> Diagnostic? {
    let ignored = Set(cases.flatMap(\.ignoredFields)).sorted()
    guard let first = cases.first(where: { !$0.ignoredFields.isEmpty }) else { return nil }
    return Diagnostic(
      file: file, line: first.line,
      "Inspect samples have fields that Inspect's default field mapping ignores, and so does "
        + "PromptGate: \(ignored.map { Diagnostic.quote($0) }.joined(separator: ", "))",
      fix: "remove them, or move what a check needs into input, target or metadata",
      severity: .warning)
  }

  /// The case sources of one file, by its extension, and the fix to show when it has none.
  static func sources(
    _ bytes: [UInt8], file: String, defaultTest: inout CaseSource?, problems: inout [Diagnostic]
  ) throws(Diagnostics) -> ([CaseSource], String) {
    let bytes = withoutByteOrderMark(bytes)
    let lower = file.lowercased()
    if lower.hasSuffix(".jsonl") {
      return (jsonLines(bytes, file: file, problems: &problems), jsonLinesFix)
    } else if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".json") {
      return (
        document(bytes, file: file, defaultTest: &defaultTest, problems: &problems),
        "write a list of cases, or a mapping with a tests: list"
      )
    } else if lower.hasSuffix(".csv") {
      guard let text = String(validating: bytes, as: UTF8.self) else {
        problems.append(Diagnostic(file: file, "is not UTF-8 text", fix: "save the file as UTF-8"))
        return ([], "")
      }
      return (
        CSVCases.sources(text, file: file, problems: &problems),
        "write a header row (the vars, and __expected for promptfoo; input and target for "
          + "Inspect) and one row per case"
      )
    }
    throw Diagnostics([
      Diagnostic(
        file: file, "cannot tell the case file's format from its name",
        fix: "name it .jsonl (one case per line), .yaml, .yml, .json or .csv")
    ])
  }

  /// Whether `byte` is ASCII white space.
  private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }

  /// Whether a line of a JSON Lines file is blank: UTF-8 text of white space alone. A blank line
  /// is no case and takes no position.
  static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
    guard let first = line.firstIndex(where: { !isASCIIWhitespace($0) }) else { return true }
    // Any other ASCII character is not white space.
    if line[first] < 0x80 { return false }
    guard let text = String(validating: line, as: UTF8.self) else { return false }
    return text.allSatisfy(\.isWhitespace)
  }

  /// What a non-blank line of a JSON Lines file holds.
  enum CaseLine {
    /// A case, or a `file://` reference.
    case source(CaseSource)
    /// Why the line is not JSON.
    case problem(Diagnostic)
  }

  /// Each non-blank line of `bytes`, whose first line is `firstLine` of the file, given to `body`
  /// in order until it returns false; positions count on from `firstPosition`.
  static func forEachLine(
    of bytes: ArraySlice<UInt8>, firstLine: Int, firstPosition: Int = 0, file: String,
    _ body: (CaseLine) -> Bool
  ) {
    // Every non-blank line counts, so that `case-N` ids do not shift when a bad line is fixed.
    var position = firstPosition
    // Line by line as found, without an array of every line first.
    var next = bytes.startIndex
    var line = firstLine - 1
    while next <= bytes.endIndex {
      let end = bytes[next...].firstIndex(of: 0x0A) ?? bytes.endIndex
      var raw = bytes[next..<end]
      next = end + 1
      line += 1
      if raw.last == 0x0D { raw = raw.dropLast() }
      if isBlank(raw) { continue }
      position += 1
      let found: CaseLine
      do {
        found = .source(
          CaseSource(value: try JSONText.parse(utf8: raw), line: line, position: position))
      } catch {
        found = .problem(
          error.isEncoding
            ? Diagnostic(file: file, line: line, "is not UTF-8 text", fix: "save the file as UTF-8")
            : Diagnostic(
              file: file, line: line, column: error.column, "malformed JSON: \(error.message)",
              fix: "write each case as one complete JSON object on a single line (JSON Lines); "
                + "a case that spans lines belongs in a .json or .yaml file"))
      }
      guard body(found) else { return }
    }
  }

  /// A YAML or JSON document: a list of cases or a mapping with `tests:`.
  private static func document(
    _ bytes: ArraySlice<UInt8>, file: String, defaultTest: inout CaseSource?,
    problems: inout [Diagnostic]
  ) -> [CaseSource] {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
      let line = lines.firstIndex { String(validating: $0, as: UTF8.self) == nil }.map { $0 + 1 }
      problems.append(
        Diagnostic(file: file, line: line, "is not UTF-8 text", fix: "save the file as UTF-8"))
      return []
    }
    if file.lowercased().hasSuffix(".json") {
      return jsonDocument(text, file: file, defaultTest: &defaultTest, problems: &problems)
    }
    let root: YAMLNode?
    do {
      root = try YAMLLoader.compose(text, file: file)
    } catch {
      problems.append(error)
      return []
    }
    var cases: YAMLNode.Sequence
    switch root {
    case nil:
      return []
    case .sequence(let sequence)?:
      cases = sequence
    case .mapping(let mapping)?:
      // promptfoo would multiply the cases; ignoring it would run a weaker gate.
      for (key, value) in mapping.entries where key.text == "scenarios" {
        if case .scalar(let scalar) = value, YAMLLoader.tag(of: scalar) == .null { continue }
        problems.append(
          Diagnostic(
            file: file, line: key.mark.line,
            "PromptGate does not apply promptfoo's scenarios", fix: promptfooFix))
      }
      if let entry = mapping.first(where: { $0.key.text == "defaultTest" }) {
        defaultTest = defaultTestSource(
          entry.value, key: entry.key, file: file, problems: &problems)
      }
      guard let tests = mapping.first(where: { $0.key.text == "tests" }) else {
        problems.append(
          Diagnostic(
            file: file, line: root?.mark.line, noTestsMessage, fix: listFix))
        return []
      }
      switch tests.value {
      case .sequence(let sequence):
        cases = sequence
      case .scalar(let scalar) where YAMLLoader.tag(of: scalar) == .null:
        return []
      case .scalar(let scalar) where scalar.string.hasPrefix("file://"):
        return [
          CaseSource(
            value: .string(scalar.string), line: tests.value.mark.line, position: 1)
        ]
      default:
        problems.append(
          Diagnostic(
            file: file, line: tests.key.mark.line, testsNotListMessage, fix: testsNotListFix))
        return []
      }
    case let other?:
      problems.append(
        Diagnostic(
          file: file, line: other.mark.line, singleValueMessage, fix: listFix))
      return []
    }

    var sources: [CaseSource] = []
    for (index, node) in cases.enumerated() {
      if let source = caseSource(node, position: index + 1, file: file, problems: &problems) {
        sources.append(source)
      }
    }
    return sources
  }

  /// One YAML case, with the lines of its keys and assertions.
  static func caseSource(
    _ node: YAMLNode, position: Int, file: String, problems: inout [Diagnostic]
  )
    -> CaseSource?
  {
    let line = node.mark.line
    let value: JSONValue
    do {
      value = try YAMLLoader.value(of: node, file: file, mergeKeys: true)
    } catch {
      problems.append(error)
      return nil
    }
    var source = CaseSource(value: value, line: line, position: position)
    if case .mapping(let mapping) = node {
      for (key, element) in mapping.entries {
        guard let name = key.text else { continue }
        source.keyLines[name] = key.mark.line
        if name == "assert", case .sequence(let entries) = element {
          source.assertionLines = entries.map { $0.mark.line }
        }
      }
    }
    return source
  }

  /// promptfoo's `defaultTest`: a mapping merged into every test.
  private static func defaultTestSource(
    _ node: YAMLNode, key: YAMLNode, file: String, problems: inout [Diagnostic]
  ) -> CaseSource? {
    switch node {
    case .scalar(let scalar) where YAMLLoader.tag(of: scalar) == .null:
      return nil
    case .scalar(let scalar) where scalar.string.hasPrefix("file://"):
      return CaseSource(
        value: .string(scalar.string), line: node.mark.line, position: 0)
    case .mapping:
      guard let source = caseSource(node, position: 0, file: file, problems: &problems) else {
        return nil
      }
      return checkedDefaultTest(source, file: file, problems: &problems)
    default:
      problems.append(
        Diagnostic(
          file: file, line: key.mark.line,
          "defaultTest must be a mapping (vars, assert, options, ...)",
          fix: "write the defaults inline under defaultTest:, or name a file of them "
            + "(defaultTest: file://defaults.yaml)"))
      return nil
    }
  }

  /// `defaultTest` with only the keys promptfoo merges into a test.
  static func checkedDefaultTest(_ source: CaseSource, file: String, problems: inout [Diagnostic])
    -> CaseSource?
  {
    guard case .object(let fields) = source.value else { return nil }
    let allowed = ["vars", "assert", "options", "metadata", "threshold", "description"]
    var clean = true
    for key in fields.keys.sorted() where !allowed.contains(key) {
      clean = false
      problems.append(
        Diagnostic(
          file: file, line: source.keyLines[key] ?? source.line,
          "unknown key \(Diagnostic.quote(key)) in defaultTest",
          fix: "defaultTest takes \(allowed.joined(separator: ", "))"))
    }
    return clean ? source : nil
  }
}
