import ArgumentParser
import PromptGateCLI
import Testing

/// `promptgate-log`'s fast path over its options reads every plain invocation exactly as the
/// argument parser does, and declines (nil) everything else, errors and help included.
@Suite("promptgate-log option fast path")
struct LogFastParseTests {
  /// The options a parsed command holds, for comparing two parses.
  private struct Parsed: Equatable, CustomStringConvertible {
    var config, repository, store, range, behavior: String?
    var noCache, firstParent, reverse: Bool
    var maxCount: Int?
    var format: String

    init(_ command: LogCommand) {
      config = command.common.config
      repository = command.common.repository
      store = command.cache.store
      noCache = command.cache.noCache
      range = command.range
      firstParent = command.firstParent
      behavior = command.behavior
      reverse = command.reverse
      maxCount = command.maxCount
      format = command.format.rawValue
    }

    var description: String {
      "config \(config ?? "-") -C \(repository ?? "-") store \(store ?? "-") range \(range ?? "-") "
        + "behavior \(behavior ?? "-") noCache \(noCache) firstParent \(firstParent) "
        + "reverse \(reverse) n \(maxCount.map(String.init) ?? "-") format \(format)"
    }
  }

  /// What the argument parser makes of `arguments`; nil when it refuses them (or asks for
  /// help, a completion or another exit).
  private func parser(_ arguments: [String]) -> Parsed? {
    guard let command = try? LogCommand.parseAsRoot(arguments) as? LogCommand else { return nil }
    return Parsed(command)
  }

  /// Each option's spellings (none first).
  private static let choices: [[[String]]] = [
    [[], ["--config", "m.yaml"], ["--config=other/m.yaml"]],
    [[], ["-C", "repo"], ["--repository", "a b"], ["--repository=repo"]],
    [[], ["--store", "s"], ["--store=s=t"]],
    [[], ["--no-cache"]],
    [[], ["A..B"]],
    [[], ["--first-parent"]],
    [[], ["--behavior", "agent"], ["--behavior=help"]],
    [[], ["--reverse"]],
    [[], ["-n", "3"], ["--max-count", "012"], ["--max-count=1"]],
    [[], ["--format", "json"], ["--format=text"]],
  ]

  @Test(
    "each option's every spelling, and combinations of them, parse as the argument parser parses them"
  )
  func combinations() {
    // Each spelling alone, then every option at once and 600 combinations drawn from a fixed
    // seed (all 20,736 of them took ten minutes in a debug build).
    var combinations: [[Int]] = []
    for (option, spellings) in Self.choices.enumerated() {
      for spelling in spellings.indices {
        var combination = [Int](repeating: 0, count: Self.choices.count)
        combination[option] = spelling
        combinations.append(combination)
      }
    }
    combinations.append(Self.choices.map { $0.count - 1 })
    var seed: UInt64 = 0xC0_4B1E
    for _ in 0..<600 {
      combinations.append(
        Self.choices.map { spellings in
          seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          return Int(seed >> 33) % spellings.count
        })
    }
    for combination in combinations {
      let groups = combination.enumerated().map { Self.choices[$0.offset][$0.element] }
      // In the order declared, and reversed (the range among the options).
      for arguments in [groups.flatMap { $0 }, groups.reversed().flatMap { $0 }] {
        let fast = LogCommand.fastParse(arguments).map(Parsed.init)
        #expect(fast != nil, "declined \(arguments)")
        #expect(fast == parser(arguments), "\(arguments)")
      }
    }
  }

  @Test(
    "help, completions, errors and unusual spellings are left to the argument parser",
    arguments: [
      ["--help"], ["-h"], ["help"], ["--generate-completion-script", "bash"],
      ["--max-count=0"], ["-n", "0"], ["-n", "-1"], ["-n", "x"], ["-n", "+3"], ["-n5"],
      ["-n", "99999999999999999999999"], ["--format", "xml"], ["--format"], ["--behavior"],
      ["--behavior", "--reverse"], ["--behavior", "-x"], ["--config="], ["--reverse", "--reverse"],
      ["--store", "a", "--store", "b"], ["A", "B"], [""], ["--", "A"], ["-"], ["--bogus"],
      ["--first-parent=1"], ["--no-cache=true"], ["-C"], ["-Crepo"], ["-C=repo"], ["--version"],
      ["-n", "3", "-n", "4"], ["A", "--", "B"],
    ])
  func declined(arguments: [String]) {
    #expect(LogCommand.fastParse(arguments) == nil)
  }

  @Test("any sequence the fast path reads, the argument parser reads the same way")
  func randomSequences() {
    let vocabulary = [
      "--config", "m.yaml", "-C", "--repository", "repo", "--store", "s", "--no-cache", "A..B",
      "HEAD", "--first-parent", "--behavior", "agent", "--reverse", "-n", "2", "0", "-1",
      "--max-count", "--max-count=4", "--format", "json", "text", "xml", "--format=json", "--",
      "-h", "--help", "", "--store=x", "--config=", "-x",
    ]
    var seed: UInt64 = 0x5EED_1234
    var read = 0
    for _ in 0..<1500 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let length = Int(seed >> 60) % 7
      var arguments: [String] = []
      for _ in 0..<length {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        arguments.append(vocabulary[Int(seed >> 33) % vocabulary.count])
      }
      guard let fast = LogCommand.fastParse(arguments).map(Parsed.init) else { continue }
      read += 1
      #expect(fast == parser(arguments), "\(arguments)")
    }
    #expect(read > 40)
  }
}
