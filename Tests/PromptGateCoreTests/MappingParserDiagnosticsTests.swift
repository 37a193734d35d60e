import PromptGateCore
import Testing

/// Every configuration error names the file, its line and column, and the key, with a fix.
@Suite("MappingParser diagnostics")
struct MappingParserDiagnosticsTests {
  static let file = "promptgate.yaml"

  /// The problems `yaml` has; records an issue when it parses.
  private func problems(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> [Diagnostic]
  {
    do {
      _ = try MappingParser.parse(yaml, file: Self.file)
      Issue.record("the mapping parsed, but an error was expected", sourceLocation: sourceLocation)
      return []
    } catch {
      return error.items
    }
  }

  /// The one problem `yaml` has, checked to sit at the first occurrence of `anchor` (the text of
  /// the node the error is about) and to name `key` in its message.
  @discardableResult
  private func problem(
    _ yaml: String, at anchor: String, occurrence: Int = 1, naming key: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Diagnostic? {
    let found = problems(yaml, sourceLocation: sourceLocation)
    guard found.count == 1, let diagnostic = found.first else {
      Issue.record("expected one problem, got \(found)", sourceLocation: sourceLocation)
      return nil
    }
    let expected = Self.position(of: anchor, in: yaml, occurrence: occurrence)
    #expect(diagnostic.file == Self.file, sourceLocation: sourceLocation)
    #expect(diagnostic.line == expected.line, "\(diagnostic)", sourceLocation: sourceLocation)
    #expect(diagnostic.column == expected.column, "\(diagnostic)", sourceLocation: sourceLocation)
    #expect(
      diagnostic.message.contains(key), "\(diagnostic) should name \(key)",
      sourceLocation: sourceLocation)
    #expect(
      diagnostic.fix != nil, "\(diagnostic) should say how to fix it",
      sourceLocation: sourceLocation)
    #expect(
      diagnostic.description.hasPrefix(
        "\(Self.file):\(expected.line):\(expected.column): error: "),
      sourceLocation: sourceLocation)
    return diagnostic
  }

  /// The 1-based line and column of the `occurrence`th appearance of `needle` in `text`.
  static func position(of needle: String, in text: String, occurrence: Int = 1) -> (
    line: Int, column: Int
  ) {
    var seen = 0
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      var rest = Substring(line)
      var offset = 0
      while let range = rest.range(of: needle) {
        seen += 1
        let column = offset + rest.distance(from: rest.startIndex, to: range.lowerBound) + 1
        if seen == occurrence { return (index + 1, column) }
        offset = column
        rest = rest[rest.index(after: range.lowerBound)...]
      }
    }
    return (0, 0)
  }

  static let behavior = """
    behaviors:
      support-agent:
        prompt: [prompts/**/*.md]
        model: {value: gpt-4o}

    """

  @Test("an unknown top-level key")
  func unknownTopLevelKey() {
    let yaml = Self.behavior + "evalSet: {}\n"
    let diagnostic = problem(yaml, at: "evalSet", naming: "evalSet")
    #expect(diagnostic?.fix?.contains("evalSets") == true)
  }

  @Test("an unknown behavior key, with a suggestion")
  func unknownBehaviorKey() {
    let yaml = Self.behavior + "    modle: {value: gpt-4o}\n"
    let diagnostic = problem(yaml, at: "modle", naming: "modle")
    #expect(diagnostic?.message.contains("behaviors.support-agent") == true)
    #expect(diagnostic?.fix?.contains("did you mean 'model'") == true)
  }

  @Test("an unknown decoding key, with a suggestion")
  func unknownDecodingKey() {
    let yaml = Self.behavior + "    decoding:\n      temprature: 0.2\n"
    let diagnostic = problem(yaml, at: "temprature", naming: "temprature")
    #expect(diagnostic?.fix?.contains("temperature") == true)
  }

  @Test("an unknown source key")
  func unknownSourceKey() {
    let yaml = """
      behaviors:
        support-agent:
          prompt: {files: [prompts/*.md], optinal: true}
      """
    let diagnostic = problem(yaml, at: "optinal", naming: "optinal")
    #expect(diagnostic?.fix?.contains("optional") == true)
  }

  @Test(
    "a pointer that is not a JSON Pointer",
    arguments: [
      "config/llm.yaml#support", "config/llm.yaml#/support/~3", "config/llm.yaml#/nodes/[name]",
      "{file: config/llm.yaml, pointer: support}",
    ])
  func badPointer(source: String) {
    let yaml = """
      behaviors:
        support-agent:
          prompt: [prompts/*.md]
          model: \(source)
      """
    let anchor = source.hasPrefix("{") ? "support}" : source
    problem(yaml, at: anchor, naming: "JSON Pointer")
  }

  @Test(
    "a glob that can never match",
    arguments: [
      ("/prompts/*.md", "absolute"), ("prompts/../shared/*.md", ".."),
      ("prompts/[ab.md", "["), ("prompts//a.md", "empty"),
    ])
  func impossibleGlob(pattern: String, reason: String) {
    let yaml = """
      behaviors:
        support-agent:
          model: {value: gpt-4o}
          prompt: [prompts/a.md, "\(pattern)"]
      """
    let diagnostic = problem(yaml, at: "\"\(pattern)", naming: "behaviors.support-agent.prompt")
    #expect(diagnostic?.message.contains(reason) == true)
  }

  @Test("an impossible glob in global and in an eval set's files")
  func impossibleGlobElsewhere() {
    let global = Self.behavior + "global: [evals/../lib/**]\n"
    problem(global, at: "evals/../lib/**", naming: "global")
    let files =
      Self.behavior + """
        evalSets:
          smoke:
            tier: fast
            cases: evals/smoke.jsonl
            files: [/evals/harness.py]
        """
    problem(files, at: "/evals/harness.py", naming: "evalSets.smoke.files")
  }

  @Test("an eval set protecting a behavior that does not exist")
  func protectsMissingBehavior() {
    let yaml =
      Self.behavior + """
        evalSets:
          smoke:
            tier: fast
            cases: evals/smoke.jsonl
            protects: {suport-agent: all}
        """
    let diagnostic = problem(yaml, at: "suport-agent", naming: "suport-agent")
    #expect(diagnostic?.message.contains("evalSets.smoke.protects") == true)
    #expect(diagnostic?.fix?.contains("support-agent") == true)
  }

  @Test("an eval set protecting an unknown component name")
  func protectsUnknownComponent() {
    let yaml =
      Self.behavior + """
        evalSets:
          smoke:
            tier: fast
            cases: evals/smoke.jsonl
            protects:
              support-agent: [model, promt]
        """
    let diagnostic = problem(yaml, at: "promt", naming: "promt")
    #expect(diagnostic?.fix?.contains("prompt") == true)
  }

  @Test("an eval set protecting a component the behavior does not declare")
  func protectsUndeclaredComponent() {
    let yaml =
      Self.behavior + """
        evalSets:
          smoke:
            tier: fast
            cases: evals/smoke.jsonl
            protects: {support-agent: [prompt, toolSchema]}
        """
    let diagnostic = problem(yaml, at: "toolSchema", naming: "toolSchema")
    #expect(diagnostic?.message.contains("support-agent") == true)
  }

  @Test("an eval set without tier, and one without cases")
  func missingTierAndCases() {
    let noTier =
      Self.behavior + """
        evalSets:
          smoke:
            cases: evals/smoke.jsonl
            protects: {support-agent: all}
        """
    problem(noTier, at: "smoke", naming: "tier")
    let noCases =
      Self.behavior + """
        evalSets:
          smoke:
            tier: fast
            protects: {support-agent: all}
        """
    problem(noCases, at: "smoke", naming: "cases")
  }

  @Test(
    "a value component given files",
    arguments: ["[config/model.txt]", "{files: [config/model.txt]}"])
  func modelGivenFiles(source: String) {
    let yaml = """
      behaviors:
        support-agent:
          prompt: [prompts/*.md]
          model: \(source)
      """
    problem(yaml, at: source, naming: "behaviors.support-agent.model")
  }

  @Test("a temperature that is not a number", arguments: ["hot", "{value: hot}", "'hot'"])
  func temperatureHot(source: String) {
    let yaml = """
      behaviors:
        support-agent:
          prompt: [prompts/*.md]
          decoding:
            temperature: \(source)
      """
    let anchor = source.contains("'") ? "'hot'" : "hot"
    let diagnostic = problem(yaml, at: anchor, naming: "temperature")
    #expect(diagnostic?.message.contains("hot") == true)
  }

  @Test(
    "maxOutputTokens that is not a non-negative integer",
    arguments: ["1024.5", "-1", "{value: 1024.5}", "'12.5'", "lots"])
  func maxOutputTokensInvalid(source: String) {
    let yaml = """
      behaviors:
        support-agent:
          prompt: [prompts/*.md]
          decoding:
            maxOutputTokens: \(source)
      """
    let anchor = source.hasPrefix("{") ? "1024.5" : source
    problem(yaml, at: anchor, naming: "maxOutputTokens")
  }

  @Test("a duplicate key names the key and the line of one of its occurrences")
  func duplicateKey() throws {
    let yaml = """
      behaviors:
        support-agent:
          model: {value: gpt-4o}
          prompt: [prompts/*.md]
          decoding: {temperature: 0.2}
          prompt: [other/*.md]
      """
    let found = problems(yaml)
    let diagnostic = try #require(found.first)
    #expect(found.count == 1)
    #expect(diagnostic.file == Self.file)
    #expect(diagnostic.message.contains("'prompt'"))
    #expect([4, 6].contains(diagnostic.line ?? 0), "\(diagnostic)")
    #expect(diagnostic.fix != nil)
  }

  @Test("a duplicate behavior name")
  func duplicateBehavior() throws {
    let yaml = """
      behaviors:
        summarizer:
          prompt: [s/*.md]
        support-agent:
          prompt: [prompts/*.md]
        support-agent:
          prompt: [x/*.md]
      """
    let diagnostic = try #require(problems(yaml).first)
    #expect(diagnostic.message.contains("support-agent"))
    #expect([4, 6].contains(diagnostic.line ?? 0), "\(diagnostic)")
  }

  @Test("an invalid regular expression")
  func invalidRegex() {
    let yaml = """
      behaviors:
        support-agent:
          prompt: [prompts/*.md]
          model: {file: app/main.py, regex: 'MODEL = ("'}
      """
    problem(yaml, at: "'MODEL", naming: "regex")
  }

  @Test("a regex group out of range")
  func regexGroupOutOfRange() {
    let yaml = """
      behaviors:
        support-agent:
          prompt: [prompts/*.md]
          model: {file: app/main.py, regex: 'MODEL = (\\w+)', group: 2}
      """
    let diagnostic = problem(yaml, at: "2}", naming: "group")
    #expect(diagnostic?.message.contains("0 to 1") == true)
  }

  @Test(
    "mixed source forms",
    arguments: [
      "{files: [prompts/*.md], value: x}", "{file: a.yaml, pointer: /a, regex: x}",
      "{file: a.yaml}", "{optional: true}",
    ])
  func mixedForms(source: String) {
    let yaml = """
      behaviors:
        support-agent:
          model: {value: gpt-4o}
          prompt: \(source)
      """
    problem(yaml, at: source, naming: "behaviors.support-agent.prompt")
  }

  @Test("a cases path with a wildcard is one problem, not also a missing `cases`")
  func casesWithWildcard() {
    let cases =
      Self.behavior + """
        evalSets:
          smoke:
            tier: fast
            cases: evals/*.jsonl
        """
    problem(cases, at: "evals/*.jsonl", naming: "evalSets.smoke.cases")
  }

  @Test("optional must be a boolean")
  func optionalNotBoolean() {
    let optional = """
      behaviors:
        support-agent:
          prompt: {files: [prompts/*.md], optional: maybe}
      """
    let found = problems(optional)
    #expect(found.count == 1)
    let expected = Self.position(of: "maybe", in: optional)
    #expect(found.first?.line == expected.line)
    #expect(found.first?.column == expected.column)
    #expect(found.first?.message.contains("optional") == true)
  }

  @Test("every problem is reported at once, in file order")
  func severalProblems() throws {
    let yaml = """
      behaviors:
        support-agent:
          promt: [prompts/*.md]
          model: [x]
          decoding: {temperature: hot}
      evalSets:
        smoke:
          tier: fast
          cases: evals/smoke.jsonl
          protects: {nobody: all}
      colour: blue
      """
    let found = problems(yaml)
    #expect(found.map(\.line) == [3, 4, 5, 10, 11])
    #expect(found.allSatisfy { $0.file == Self.file })
  }

  @Test("an empty file, a file without behaviors, and a YAML syntax error")
  func structuralErrors() throws {
    #expect(problems("").first?.line == 1)
    let noBehaviors = problems("global: [evals/**]\n")
    #expect(noBehaviors.first?.message.contains("behaviors") == true)
    let syntax = problems("behaviors:\n  a:\n    prompt: [p/*.md\n    model: x\n")
    #expect(syntax.count == 1)
    #expect(syntax.first?.message.contains("invalid YAML") == true)
    #expect((syntax.first?.line ?? 0) >= 3)
  }
}
