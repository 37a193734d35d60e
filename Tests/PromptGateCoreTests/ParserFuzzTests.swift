import Foundation
import PromptGateCore
import Testing

/// A seeded mutation loop over the mapping and case parsers, run by `benchmarks/fuzz-parsers.sh`
/// (not in CI): every input must parse or fail with diagnostics, never trap or hang. Each input's
/// number goes to `PROMPTGATE_FUZZ_LOG` before it runs, so a crash names the input that caused it.
@Suite(
  "Parser fuzzing", .enabled(if: ProcessInfo.processInfo.environment["PROMPTGATE_FUZZ"] != nil))
struct ParserFuzzTests {
  static var budget: Int {
    Int(ProcessInfo.processInfo.environment["PROMPTGATE_FUZZ"] ?? "") ?? 100_000
  }
  static var seed: UInt64 {
    UInt64(ProcessInfo.processInfo.environment["PROMPTGATE_FUZZ_SEED"] ?? "") ?? 20_261_201
  }

  static let mappingSeeds = [
    """
    behaviors:
      support-agent:
        prompt: [prompts/support/**/*.md]
        model: config/llm.yaml#/support/model
        toolSchema: {files: [tools/*.json], optional: true}
        retrievalPolicy: config/retrieval.yaml#/nodes/[name=classify]
        decoding: {temperature: 0.2, maxOutputTokens: 512}
    providers:
      harness: {type: exec, command: [python3, evals/harness.py], concurrency: 4, timeout: 20}
      llm: {type: openai, baseURL: "http://127.0.0.1:1/v1", apiKeyEnv: KEY, retries: 2}
    prices: {gpt-4o: {input: 2.5, output: 10}}
    limits: {maxCalls: 100, maxCost: 1.5}
    hook: {onUnavailable: warn, timeout: 30}
    evalSets:
      smoke:
        tier: fast
        provider: harness
        behavior: support-agent
        cases: evals/smoke.jsonl
        files: [evals/harness.py]
        repeat: 3
        floor: 0.9
        protects: {support-agent: [prompt, model]}
    global: [evals/lib/**]
    """,
    "behaviors: {a: {prompt: [p/*.md], model: {value: m}}}\nevalSets: {}\n",
  ]

  static let caseSeeds = [
    """
    {"id": "refund", "vars": {"topic": "refund"}, "assert": [{"type": "icontains", "value": "refund"}]}
    {"id": "json", "vars": {}, "assert": [{"type": "is-json", "value": {"type": "object", "required": ["a"]}}]}
    """,
    """
    - id: greeting
      vars: {topic: hi}
      assert:
        - {type: contains-any, value: [hello, hi]}
        - {type: latency, threshold: 2000}
    - id: tool
      assert: [{type: tool-call, value: {name: lookup, arguments: {q: x}}}]
    """,
  ]

  /// Pieces YAML and the parsers give meaning to.
  static let tokens = [
    ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "<<: ", "\t", "\n", "'", "\"", "#", "1e309",
    "-0", "~", "!!str ", "!!binary ", "null", "yes", "\u{0}", "\u{FEFF}", "\\ud83d", "9.3e9",
    "1e18", "  ", "---\n", "...\n", "%YAML 1.1\n", "|", ">", "?", "@", "`", "\u{7F}", "é",
  ]

  /// SplitMix64: the same inputs for the same seed, on every machine.
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
  }

  static func mutate(_ seed: String, _ random: inout Generator) -> [UInt8] {
    var bytes = Array(seed.utf8)
    for _ in 0...random.below(4) {
      let at = random.below(bytes.count + 1)
      switch random.below(5) {
      case 0: if at < bytes.count { bytes[at] ^= UInt8(1 << random.below(8)) }
      case 1: bytes.insert(contentsOf: Array(tokens[random.below(tokens.count)].utf8), at: at)
      case 2: bytes.removeSubrange(at..<min(bytes.count, at + random.below(16)))
      case 3:
        let end = min(bytes.count, at + random.below(40))
        bytes.insert(contentsOf: bytes[at..<end], at: min(bytes.count, end + random.below(8)))
      default: bytes = Array(bytes.prefix(at))
      }
    }
    return bytes
  }

  static func run(_ name: String, seeds: [String], _ parse: ([UInt8]) -> Bool) {
    var random = Generator(state: seed ^ UInt64(name.utf8.count))
    let log = ProcessInfo.processInfo.environment["PROMPTGATE_FUZZ_LOG"]
    let handle = log.flatMap { path -> FileHandle? in
      FileManager.default.createFile(atPath: path, contents: nil)
      return FileHandle(forWritingAtPath: path)
    }
    var accepted = 0
    var slowest = 0.0
    let clock = ContinuousClock()
    for index in 0..<budget {
      if index % 1000 == 0 { handle?.write(Data("\(name) \(seed) \(index)\n".utf8)) }
      let input = mutate(seeds[random.below(seeds.count)], &random)
      let start = clock.now
      if parse(input) { accepted += 1 }
      let elapsed = (clock.now - start).totalSeconds
      slowest = max(slowest, elapsed)
    }
    print(
      "fuzz \(name): seed \(seed), \(budget) inputs, \(accepted) accepted, \(budget - accepted) refused with diagnostics, 0 crashes, slowest \(String(format: "%.1f", slowest * 1000)) ms"
    )
  }

  @Test("the mapping parser") func mapping() {
    Self.run("mapping", seeds: Self.mappingSeeds) { bytes in
      guard let text = String(validating: bytes, as: UTF8.self) else { return false }
      return (try? MappingParser.parse(text, file: "promptgate.yaml")) != nil
    }
  }

  @Test("the case-file parser (JSONL and YAML)") func cases() {
    Self.run("cases-jsonl", seeds: [Self.caseSeeds[0]]) { bytes in
      (try? CaseFile.parse(bytes, file: "evals/smoke.jsonl")) != nil
    }
    Self.run("cases-yaml", seeds: [Self.caseSeeds[1]]) { bytes in
      (try? CaseFile.parse(bytes, file: "evals/smoke.yaml")) != nil
    }
  }
}
