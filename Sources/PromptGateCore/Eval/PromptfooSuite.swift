import Foundation

/// What promptfoo does to a test before it runs: `defaultTest` merged in, array and glob vars
/// expanded into one test per combination, `file://` vars read, `{{var}}` rendered in assertion
/// values, `assert-set` opened. What would change a score and is not done here is refused.
struct PromptfooSuite {
  /// The location messages name.
  let file: String
  /// The directory `file://` references are relative to: the config's (promptfoo's base path).
  let baseDirectory: String
  /// The head's files; nil when there is no repository (a `file://` var is then an error).
  let tree: CaseTree?
  /// `defaultTest`, already read.
  var defaultTest: CaseSource?

  /// Options of a test that PromptGate honours or that do not change a score.
  static let harmlessOptions = ["disableVarExpansion", "disableConversationVar", "runSerially"]
  /// Options that change what is asserted, with the fix.
  static let refusedOptions: [String: String] = [
    "transform": "PromptGate does not run promptfoo's output transforms; have the harness return "
      + "the transformed output, or assert on the raw output",
    "postprocess": "PromptGate does not run promptfoo's output transforms; have the harness "
      + "return the transformed output, or assert on the raw output",
    "prefix": "PromptGate does not add a prefix to the prompt; write it into the prompt or vars",
    "suffix": "PromptGate does not add a suffix to the prompt; write it into the prompt or vars",
    "storeOutputAs": "PromptGate runs each case on its own; give each case the vars it needs",
    "provider": "the gate's judge is the eval set's `judge:`; remove the per-test grader",
    "rubricPrompt": "the judge's prompt is PromptGate's; remove rubricPrompt",
  ]

  /// The tests `source` stands for, each ready for ``EvalCase/decode(_:file:)``.
  func expand(_ source: CaseSource, problems: inout [Diagnostic]) -> [CaseSource] {
    guard case .object(let fields) = source.value, !isPlain(CaseFields(fields)) else {
      return [source]
    }
    return expandInFull(source, problems: &problems)
  }

  /// Whether expanding a test of `fields` would give it back unchanged and report nothing, as
  /// most tests of a large file: no `defaultTest` or `options`, no var that promptfoo expands or
  /// reads from a file, no assertion it opens or whose value it renders. An Inspect sample too.
  func isPlain(_ found: borrowing CaseFields) -> Bool {
    if found.isInspectSample { return true }
    guard defaultTest == nil, found.options == nil else { return false }
    if let vars = found.vars {
      guard case .object(let members) = vars else { return false }
      for value in members.values {
        switch value {
        case .string(let text) where text.hasPrefix("file://"): return false
        case .array(let list): if case .string? = list.first { return false }
        default: continue
        }
      }
    }
    guard let assertions = found.assert else { return true }
    guard case .array(let entries) = assertions else { return false }
    for entry in entries {
      guard case .object(let members) = entry else { continue }
      let assertion = AssertionFields(members)
      if assertion.type == .string("assert-set") { return false }
      switch assertion.value {
      case nil: continue
      case .string(let text)?:
        if text.utf8.contains(UInt8(ascii: "{")) || text.hasPrefix("file://") { return false }
      case .array?: return false
      case let value?: if PromptfooTemplate.hasSyntax(value) { return false }
      }
    }
    return true
  }

  /// ``expand(_:problems:)`` for a test that is not plain: every rule applied.
  func expandInFull(_ source: CaseSource, problems: inout [Diagnostic]) -> [CaseSource] {
    guard case .object(var fields) = source.value,
      !(fields["input"] != nil && fields["vars"] == nil)
    else { return [source] }
    var source = source
    func report(_ message: String, key: String? = nil, line: Int? = nil, fix: String? = nil) {
      let at = line ?? key.flatMap { source.keyLines[$0] } ?? source.line
      problems.append(Diagnostic(file: source.location ?? file, line: at, message, fix: fix))
    }
    // What is rewritten; a test with nothing to expand or render is passed on as it is.
    var rewritten = false
    if let defaults = defaultTest, case .object(let base) = defaults.value {
      rewritten = true
      fields = Self.merge(base, into: fields)
      source.assertionLines = defaults.assertionLines + source.assertionLines
    }

    var expandVars = true
    if case .object(let options)? = fields["options"] {
      for key in options.keys.sorted() where !Self.harmlessOptions.contains(key) {
        report(
          "PromptGate does not apply promptfoo's options.\(key)", key: "options",
          fix: Self.refusedOptions[key]
            ?? "remove it; the options PromptGate accepts are "
            + Self.harmlessOptions.joined(separator: ", "))
      }
      if options["disableVarExpansion"] == .bool(true) { expandVars = false }
    } else if let options = fields["options"], options != .null {
      report("options must be a mapping, not \(options.typeName)", key: "options")
    }

    var combinations: [[String: JSONValue]] = [[:]]
    var labels: [[String: String]] = [[:]]
    var expanded: [String] = []
    var varsRewritten = false
    if case .object(let vars)? = fields["vars"] {
      combinations = [vars]
      for name in vars.keys.sorted() {
        let value = vars[name] ?? .null
        var values = [value]
        if expandVars, case .array(let list) = value, case .string? = list.first {
          values = list
        }
        // Load each file:// value; a glob stands for one test per file it matches.
        var loaded: [(JSONValue, String)] = []
        var fromFile = false
        for item in values {
          guard case .string(let text) = item, text.hasPrefix("file://") else {
            loaded.append((item, values.count > 1 ? Self.label(item) : ""))
            continue
          }
          fromFile = true
          do {
            loaded += try load(String(text.dropFirst(7)))
          } catch {
            report("var '\(name)': \(error.message)", key: "vars", fix: error.fix)
          }
        }
        if loaded.count == 1 {
          // One value: every combination takes it, and no label names it.
          if fromFile {
            varsRewritten = true
            for index in combinations.indices { combinations[index][name] = loaded[0].0 }
          }
          continue
        }
        varsRewritten = true
        if loaded.count > 1 { expanded.append(name) }
        var nextCombinations: [[String: JSONValue]] = []
        var nextLabels: [[String: String]] = []
        for (combination, labelled) in zip(combinations, labels) {
          for (item, label) in loaded {
            nextCombinations.append(combination.merging([name: item]) { $1 })
            nextLabels.append(labelled.merging([name: label]) { $1 })
          }
        }
        combinations = nextCombinations
        labels = nextLabels
      }
    }

    let weighted = (fields["threshold"] ?? .null) != .null

    let baseID = Self.baseID(fields, position: source.position)
    var results: [CaseSource] = []
    for (combination, labelled) in zip(combinations, labels) {
      var copy = source
      var caseFields = fields
      var changed = rewritten
      if varsRewritten, case .object? = fields["vars"] {
        caseFields["vars"] = .object(combination)
        changed = true
      }
      if combinations.count > 1 {
        let label = expanded.map { name in
          "\(name)=\(labelled[name] ?? "")"
        }.joined(separator: ", ")
        caseFields["id"] = .string("\(baseID) [\(label)]")
        changed = true
      }
      if case .array(let entries)? = fields["assert"] {
        var lines: [Int] = []
        var rendered: [JSONValue] = []
        var renderedChanged = false
        for (index, entry) in entries.enumerated() {
          let line = index < copy.assertionLines.count ? copy.assertionLines[index] : copy.line
          let opened = open(
            entry, line: line, weighted: weighted, report: { report($0, line: line, fix: $1) })
          if opened.count != 1 || Self.isAssertSet(entry) { renderedChanged = true }
          for item in opened {
            rendered.append(
              render(
                item, vars: combination, file: copy.location ?? file, line: line,
                changed: &renderedChanged, problems: &problems))
            lines.append(line)
          }
        }
        if renderedChanged {
          caseFields["assert"] = .array(rendered)
          copy.assertionLines = lines
          changed = true
        }
      }
      if changed { copy.value = .object(caseFields) }
      results.append(copy)
    }
    return results
  }

  /// promptfoo's merge of `defaultTest` into a test: vars, options and metadata merged (the
  /// test's win), assertions concatenated (the default's first), other keys the test's if set.
  static func merge(_ base: [String: JSONValue], into test: [String: JSONValue]) -> [String:
    JSONValue]
  {
    var merged = base.merging(test) { $1 }
    for key in ["vars", "options", "metadata"] {
      if case .object(let defaults)? = base[key] {
        if case .object(let own)? = test[key] {
          merged[key] = .object(defaults.merging(own) { $1 })
        } else if test[key] == nil || test[key] == .null {
          merged[key] = .object(defaults)
        }
      }
    }
    var assertions: [JSONValue] = []
    if case .array(let list)? = base["assert"] { assertions += list }
    if case .array(let list)? = test["assert"] { assertions += list }
    let testAssert = test["assert"] ?? .null
    if case .array = testAssert {
      merged["assert"] = .array(assertions)
    } else if testAssert == .null, !assertions.isEmpty {
      merged["assert"] = .array(assertions)
    }
    return merged
  }

  /// `assert-set` without a threshold passes when each of its assertions passes: the same as
  /// listing them in the case. One with a threshold or weight is refused.
  private func open(
    _ entry: JSONValue, line: Int, weighted: Bool, report: (String, String?) -> Void
  ) -> [JSONValue] {
    guard case .object(let members) = entry, members["type"] == .string("assert-set") else {
      return [entry]
    }
    if weighted {
      report(
        "PromptGate does not score an assert-set inside a test with a threshold (promptfoo "
          + "counts the set's own score once, with the set's weight)",
        "list its assertions in the test's assert, or remove the test's threshold")
      return []
    }
    if let threshold = members["threshold"], threshold != .null {
      report(
        "PromptGate does not score an assert-set's threshold (a share of its assertions)",
        "remove threshold (then every assertion in the set must pass), or split the set")
      return []
    }
    guard case .array(let inner)? = members["assert"] else {
      report(
        "an assert-set needs an assert: list of assertions",
        "write it as {type: assert-set, assert: [{type: contains, value: ...}]}")
      return []
    }
    return inner.flatMap { open($0, line: line, weighted: weighted, report: report) }
  }

  /// The entry with its `value` rendered with `vars`, as promptfoo renders it (a string, or each
  /// entry of a list); problems are reported and the entry returned as it was.
  private func render(
    _ entry: JSONValue, vars: [String: JSONValue], file: String, line: Int, changed: inout Bool,
    problems: inout [Diagnostic]
  ) -> JSONValue {
    guard case .object(var members) = entry, let value = members["value"] else { return entry }
    func fail(_ problem: TemplateProblem) -> JSONValue {
      let type = members["type"]?.scalarText ?? "?"
      problems.append(
        Diagnostic(
          file: file, line: line, "assertion '\(type)': \(problem.message)", fix: problem.fix))
      return entry
    }
    switch value {
    case .string(let text):
      if text.hasPrefix("file://") {
        return fail(
          TemplateProblem(
            "a value read from \(text) is not supported",
            fix: "write the value inline in the case file"))
      }
      switch PromptfooTemplate.render(text, vars: vars) {
      case .success(let rendered) where rendered == text: return entry
      case .success(let rendered):
        members["value"] = .string(rendered)
        changed = true
      case .failure(let problem): return fail(problem)
      }
    case .array(let list):
      var rendered: [JSONValue] = []
      for item in list {
        guard case .string(let text) = item else {
          rendered.append(item)
          continue
        }
        switch PromptfooTemplate.render(text, vars: vars) {
        case .success(let out): rendered.append(.string(out))
        case .failure(let problem): return fail(problem)
        }
      }
      members["value"] = .array(rendered)
      changed = true
    default:
      if PromptfooTemplate.hasSyntax(value) {
        return fail(
          TemplateProblem(
            "{{...}} inside a structured value is not rendered by PromptGate",
            fix: "write the value without templates"))
      }
    }
    return .object(members)
  }

  /// The content of a `file://` var: one value per file (a glob matches several).
  private func load(_ reference: String) throws(TemplateProblem) -> [(JSONValue, String)] {
    guard let tree else {
      throw TemplateProblem(
        "file://\(reference) cannot be read outside a repository",
        fix: "run through an eval set, whose cases are read from the head's tree")
    }
    let lower = reference.lowercased()
    let ext = lower.split(separator: ".").last.map(String.init) ?? ""
    if ["js", "cjs", "mjs", "ts", "py"].contains(ext) {
      throw TemplateProblem(
        "file://\(reference) is a script promptfoo would run to make the value; PromptGate "
          + "does not run var scripts",
        fix: "write the value it makes into a text file, or into the case")
    }
    if ["yaml", "yml", "pdf"].contains(ext) {
      throw TemplateProblem(
        "file://\(reference): promptfoo converts a .\(ext) var file (YAML to JSON text, PDF to "
          + "its text) in a way PromptGate does not reproduce exactly",
        fix: "save the value as a .txt or .json file (read as text), or inline it")
    }
    let binary = [
      "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "mp4", "webm", "ogg", "mov",
      "avi", "wmv", "mkv", "m4v",
    ].contains(ext)
    var values: [(JSONValue, String)] = []
    for path in try tree.paths(reference, in: baseDirectory) {
      let pathExt = path.lowercased().split(separator: ".").last.map(String.init) ?? ""
      guard let bytes = (try? tree.read(path)) ?? nil else {
        throw TemplateProblem(
          "cannot read \(tree.location(path))", fix: "check that the file is committed")
      }
      if binary || ["jpg", "jpeg", "png", "gif", "bmp", "webp", "svg"].contains(pathExt) {
        values.append((.string(Data(bytes).base64EncodedString()), path))
        continue
      }
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw TemplateProblem(
          "\(tree.location(path)) is not UTF-8 text", fix: "save it as UTF-8")
      }
      // promptfoo trims a text var file (JavaScript's trim: whitespace and line ends).
      values.append((.string(text.trimmingCharacters(in: .whitespacesAndNewlines)), path))
    }
    return values
  }

  /// The id a test would get before expansion: its id, description, or `case-N`.
  static func baseID(_ fields: [String: JSONValue], position: Int) -> String {
    switch fields["id"] {
    case .string(let text)? where !text.isEmpty: return text
    case .number(let number)? where number.rounded() == number && abs(number) < 1e15:
      return String(Int64(number))
    default: break
    }
    if case .string(let text)? = fields["description"], !text.isEmpty { return text }
    return "case-\(position)"
  }

  /// Whether `entry` is an `assert-set`, which opening replaces by its assertions.
  private static func isAssertSet(_ entry: JSONValue) -> Bool {
    guard case .object(let members) = entry else { return false }
    return members["type"] == .string("assert-set")
  }

  /// A short label for an expanded value in a case id.
  private static func label(_ value: JSONValue) -> String {
    let text = value.scalarText ?? value.typeName
    return text.count > 40 ? String(text.prefix(40)) + "…" : text
  }
}
