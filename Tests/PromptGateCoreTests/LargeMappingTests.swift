import PromptGateCore
import Testing

/// A mapping of 20,000 behaviors reads as a small one
/// does: every behavior in the order written, and every problem at its line.
@Suite("Large mappings")
struct LargeMappingTests {
  /// `count` behaviors `b0`, `b1`, ..., each with a prompt and a model, in three lines each
  /// after the `behaviors:` line; behavior `i`'s name is on line `2 + 3i`.
  static func mapping(_ count: Int, model: (Int) -> String = { "{value: m\($0 % 7)}" }) -> String {
    "behaviors:\n"
      + (0..<count).map { "  b\($0):\n    prompt: [prompts/a.md]\n    model: \(model($0))\n" }
      .joined()
  }

  @Test("every behavior of a 20,000-behavior mapping, in order, with its own sources")
  func order() throws {
    let mapping = try MappingParser.parse(Self.mapping(20_000), file: "promptgate.yaml")
    #expect(mapping.behaviors.map(\.name) == (0..<20_000).map { "b\($0)" })
    for index in [0, 9_999, 10_000, 19_999] {
      let behavior = try #require(mapping.behavior(named: "b\(index)"))
      #expect(behavior.sources[.model] == Source(.value(.string("m\(index % 7)"))))
      #expect(behavior.sourceMarks[.model]?.line == 2 + 3 * index + 2)
    }
  }

  @Test("problems anywhere in a large mapping are all reported, in line order")
  func problemsInEveryPart() {
    let broken: Set<Int> = [3, 10_001, 19_998]
    let text = Self.mapping(20_000) { broken.contains($0) ? "[not, a, model]" : "{value: m}" }
    #expect {
      try MappingParser.parse(text, file: "promptgate.yaml")
    } throws: { error in
      guard let problems = error as? Diagnostics else { return false }
      return problems.items.map(\.line) == broken.sorted().map { 2 + 3 * $0 + 2 }
    }
  }
}
