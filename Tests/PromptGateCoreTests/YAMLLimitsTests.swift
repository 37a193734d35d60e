import PromptGateCore
import Testing

@Suite("YAML expansion limits")
struct YAMLLimitsTests {
  /// 525 bytes that expand to 10^9 scalars through nine levels of aliases.
  static let bomb: String = {
    var lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
    for (previous, name) in zip(names, names.dropFirst()) {
      let aliases = Array(repeating: "*\(previous)", count: 10).joined(separator: ", ")
      lines.append("\(name): &\(name) [\(aliases)]")
    }
    return lines.joined(separator: "\n") + "\n"
  }()

  @Test("an alias bomb is refused with the file and line, not expanded")
  func aliasBomb() {
    #expect(Self.bomb.utf8.count < 700)
    #expect {
      _ = try YAMLLoader.load(Self.bomb, file: "config/llm.yaml", mergeKeys: true)
    } throws: { error in
      guard let diagnostic = error as? Diagnostic else { return false }
      return diagnostic.file == "config/llm.yaml" && diagnostic.line != nil
        && diagnostic.message.contains("more than 100000 nodes")
    }
  }

  @Test("aliases that add fewer nodes than the bound, and large files without aliases, load")
  func withinBounds() throws {
    let shared =
      "base: &base {model: gpt-4o, temperature: 0.2}\n"
      + (0..<2_000).map { "agent\($0): *base" }.joined(separator: "\n") + "\n"
    guard case .object(let members) = try YAMLLoader.load(shared, file: "x.yaml") else {
      Issue.record("a mapping")
      return
    }
    #expect(members.count == 2_001)
    let large = (0..<150_000).map { "- {id: c\($0), v: \($0)}" }.joined(separator: "\n")
    guard case .array(let cases) = try YAMLLoader.load(large, file: "cases.yaml") else {
      Issue.record("a list")
      return
    }
    #expect(cases.count == 150_000)
  }

  @Test("nesting deeper than 512 levels is refused")
  func depth() {
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    #expect {
      _ = try YAMLLoader.load(deep, file: "deep.yaml")
    } throws: { error in
      (error as? Diagnostic)?.message.contains("deeper than 512") == true
    }
  }
}
