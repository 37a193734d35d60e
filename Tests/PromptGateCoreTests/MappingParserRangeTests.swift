import PromptGateCore
import Testing

/// Every numeric setting is checked against its documented range when the mapping is parsed,
/// with the line, so that no absurd value reaches a conversion that traps.
@Suite("MappingParser numeric ranges")
struct MappingParserRangeTests {
  /// A mapping with one exec and one HTTP provider and one eval set; `provider`, `set` and
  /// `top` add lines to the exec provider's entry, the set's entry and the top level.
  static func mapping(provider: String = "", set: [String] = [], top: [String] = []) -> String {
    var lines = [
      "behaviors:",
      "  bot:",
      "    prompt: [prompts/*.md]",
      "    model: {value: m}",
      "providers:",
      "  harness: {type: exec, command: [python3, h.py]\(provider.isEmpty ? "" : ", " + provider)}",
      "  api: {type: openai, apiKeyEnv: KEY}",
      "evalSets:",
      "  smoke:",
      "    tier: fast",
      "    provider: harness",
      "    cases: evals/smoke.jsonl",
      "    protects: {bot: all}",
    ]
    lines += set.map { "    " + $0 }
    lines += top
    return lines.joined(separator: "\n") + "\n"
  }

  @Test(
    "a provider setting out of range",
    arguments: [
      ("timeout: 9.3e9", "9.3e9", "86,400"), ("timeout: 1e18", "1e18", "86,400"),
      ("timeout: 86401", "86401", "86,400"), ("timeout: 0", "0", "greater than 0"),
      ("timeout: -5", "-5", "greater than 0"), ("timeout: .nan", ".nan", "86,400"),
      ("timeout: .inf", ".inf", "86,400"), ("concurrency: 0", "0", "from 1 to 1,000"),
      ("concurrency: 1001", "1001", "from 1 to 1,000"),
      ("concurrency: 99999999999999999999", "99999999999999999999", "from 1 to 1,000"),
      ("retries: -1", "-1", "from 0 to 100"), ("retries: 101", "101", "from 0 to 100"),
    ])
  func provider(setting: String, value: String, range: String) {
    let yaml = Self.mapping(provider: setting)
    let line = MappingProblems.position(of: setting, in: yaml).line
    let diagnostic = MappingProblems.one(
      yaml, at: value, occurrence: occurrence(of: value, before: line, in: yaml))
    #expect(
      diagnostic?.message.contains("providers.harness.") == true,
      "\(String(describing: diagnostic))")
    #expect(diagnostic?.message.contains(range) == true, "\(String(describing: diagnostic))")
  }

  @Test(
    "an eval set setting out of range",
    arguments: [
      ("repeat: 0", "0", "from 1 to 1,000"), ("repeat: 1001", "1001", "from 1 to 1,000"),
      ("repeat: 1000000000000", "1000000000000", "from 1 to 1,000"),
      ("passAtLeast: 0", "0", "from 1 to 1,000"), ("alpha: 0", "0", "strictly between 0 and 1"),
      ("caseAlpha: 0", "0", "strictly between 0 and 1"),
      ("caseAlpha: 1.5", "1.5", "strictly between 0 and 1"),
      ("maxRepeat: 0", "0", "from 1 to 1,000"),
      ("adaptive: sometimes", "sometimes", "true or false"),
      ("alpha: 1", "1", "strictly between 0 and 1"), ("floor: 1.5", "1.5", "from 0 to 1"),
      ("floor: -0.1", "-0.1", "from 0 to 1"),
      ("budgets: {p95Latency: 0}", "0}", "greater than 0"),
      ("budgets: {costPerCase: -1}", "-1}", "greater than 0"),
      ("budgets: {refusalRate: 2}", "2}", "from 0 to 1"),
    ])
  func evalSet(setting: String, value: String, range: String) {
    let yaml = Self.mapping(set: [setting])
    let line = MappingProblems.position(of: setting, in: yaml).line
    let diagnostic = MappingProblems.one(
      yaml, at: value, occurrence: occurrence(of: value, before: line, in: yaml))
    #expect(
      diagnostic?.message.contains("evalSets.smoke.") == true, "\(String(describing: diagnostic))")
    #expect(diagnostic?.message.contains(range) == true, "\(String(describing: diagnostic))")
  }

  @Test(
    "a price or a limit out of range",
    arguments: [
      ("prices: {m: {input: -1, output: 1}}", "-1", "of at least 0"),
      ("prices: {m: {input: 1, output: 1e400}}", "1e400", "of at least 0"),
      ("limits: {maxCalls: 0}", "0}", "from 1 to 1,000,000,000"),
      ("limits: {maxCost: -0.5}", "-0.5", "of at least 0"),
    ])
  func topLevel(setting: String, value: String, range: String) {
    let yaml = Self.mapping(top: [setting])
    let line = MappingProblems.position(of: setting, in: yaml).line
    let diagnostic = MappingProblems.one(
      yaml, at: value, occurrence: occurrence(of: value, before: line, in: yaml))
    #expect(diagnostic?.message.contains(range) == true, "\(String(describing: diagnostic))")
  }

  @Test("maxRepeat and hook.maxRepeat too small to ever reach caseAlpha are refused at their line")
  func maxRepeatTooSmall() throws {
    // With n runs a side the smallest one-sided Fisher p is 1/C(2n, n): 1/70 at 4, 1/252 at 5.
    let four = Self.mapping(set: ["maxRepeat: 4"])
    let diagnostic = MappingProblems.one(four, at: "4")
    #expect(diagnostic?.message.contains("maxRepeat (4) is too small") == true)
    #expect(diagnostic?.fix?.contains("5 or more") == true)
    #expect(
      try MappingParser.parse(Self.mapping(set: ["maxRepeat: 5"]), file: "m").evalSets.count == 1)
    // A looser caseAlpha needs fewer runs; `adaptive: false` needs none.
    _ = try MappingParser.parse(Self.mapping(set: ["maxRepeat: 3", "caseAlpha: 0.05"]), file: "m")
    _ = try MappingParser.parse(Self.mapping(set: ["maxRepeat: 2", "adaptive: false"]), file: "m")
    let hook = Self.mapping(top: ["hook: {maxRepeat: 3}"])
    #expect(
      MappingProblems.one(hook, at: "3}")?.message.contains("hook.maxRepeat (3) is too small")
        == true)
    let parsed = try MappingParser.parse(Self.mapping(top: ["hook: {maxRepeat: 6}"]), file: "m")
    #expect(parsed.gate.hookMaxRepeat == 6)
    let defaults = try #require(try MappingParser.parse(Self.mapping(), file: "m").evalSets.first)
    #expect(defaults.run.alpha == 0.005)
    #expect(defaults.run.caseAlpha == 0.005)
    #expect(defaults.run.maxRepeat == 15)
    #expect(defaults.run.adaptive)
  }

  @Test("the bounds themselves are accepted")
  func bounds() throws {
    let yaml = Self.mapping(
      provider: "timeout: 86400, concurrency: 1000, retries: 100",
      set: [
        "repeat: 1000", "passAtLeast: 1000", "alpha: 0.001", "floor: 0",
        "budgets: {p95Latency: 0.01, costPerCase: 100, refusalRate: 1}",
      ],
      top: ["prices: {m: {input: 0, output: 0}}", "limits: {maxCalls: 1000000000, maxCost: 0}"])
    let mapping = try MappingParser.parse(yaml, file: MappingProblems.file)
    let limits = try #require(mapping.gate.providers["harness"]).limits
    #expect(limits.timeoutSeconds == 86_400)
    #expect(limits.concurrency == 1_000)
    #expect(mapping.evalSet(named: "smoke")?.run.repeats == 1_000)
    let tiny = try MappingParser.parse(
      Self.mapping(provider: "timeout: 0.001"), file: MappingProblems.file)
    #expect(tiny.gate.providers["harness"]?.limits.timeoutSeconds == 0.001)
  }

  @Test("limits made in code are kept within range, so converting them cannot trap")
  func limitsInCode() {
    var limits = ProviderDefinition.Limits(concurrency: 0, timeoutSeconds: 1e18, retries: -3)
    #expect(limits.concurrency == 1)
    #expect(limits.timeoutSeconds == 86_400)
    #expect(limits.retries == 0)
    limits.timeoutSeconds = .infinity
    #expect(limits.timeoutSeconds == 86_400)
    limits.timeoutSeconds = -1
    #expect(limits.timeoutSeconds > 0)
    limits.concurrency = 5_000
    #expect(limits.concurrency == 1_000)
  }

  /// Which occurrence of `value` in `yaml` is the first on `line` or after it.
  private func occurrence(of value: String, before line: Int, in yaml: String) -> Int {
    var count = 1
    while true {
      let found = MappingProblems.position(of: value, in: yaml, occurrence: count)
      if found.line == 0 || found.line >= line { return count }
      count += 1
    }
  }
}
