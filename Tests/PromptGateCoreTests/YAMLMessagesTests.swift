import PromptGateCore
import Testing

/// The messages for tabs and duplicate keys, which libyaml words for its own parser.
@Suite("YAML messages")
struct YAMLMessagesTests {
  @Test("a tab used for indentation is named, with its line, column and the fix")
  func tabIndentation() throws {
    for text in ["support:\n\tmodel: gpt-4o\n", "support:\n  model: gpt-4o\n\ttop_k: 5\n"] {
      let error = try #require(throws: Diagnostic.self) {
        try YAMLLoader.load(text, file: "config/llm.yaml")
      }
      let line = text.split(separator: "\n").firstIndex { $0.contains("\t") }! + 1
      #expect(error.line == line, "\(error)")
      #expect(error.column == 1, "\(error)")
      #expect(error.message.contains("tab"), "\(error)")
      #expect(!error.message.contains("cannot start any token"), "\(error)")
      #expect(error.fix == "indent with spaces")
    }
  }

  @Test("a duplicate key points at the second occurrence and names the first")
  func duplicateKeyLines() throws {
    let block = try #require(throws: Diagnostic.self) {
      try YAMLLoader.load("first: 1\nnested:\n  a: 1\n  b: 2\n  a: 3\n", file: "d.yaml")
    }
    #expect(block.line == 5, "\(block)")
    #expect(block.column == 3, "\(block)")
    #expect(block.message.contains("'a'"))
    #expect(block.message.contains("line 3"), "\(block)")

    let flow = try #require(throws: Diagnostic.self) {
      try YAMLLoader.load("x: 0\nk: {a: 1, b: 2, a: 3}\n", file: "d.yaml")
    }
    #expect(flow.line == 2, "\(flow)")
    #expect(flow.column == 17, "\(flow)")

    let listItem = try #require(throws: Diagnostic.self) {
      try YAMLLoader.load("- id: x\n  vars: {}\n  id: y\n", file: "cases.yaml")
    }
    #expect(listItem.line == 3, "\(listItem)")
    #expect(listItem.message.contains("line 1"), "\(listItem)")
  }

  @Test("keys are duplicates by their text, however they are quoted")
  func quotedDuplicate() throws {
    // Both spellings become the one JSON key "model": the second would replace the first.
    let problem = try #require(throws: Diagnostic.self) {
      try YAMLLoader.load("model: a\n\"model\": b\n", file: "d.yaml")
    }
    #expect(problem.line == 2, "\(problem)")
    #expect(problem.message.contains("duplicate key 'model'"), "\(problem)")
    #expect(
      try YAMLLoader.load("1: a\n\"2\": b\n", file: "d.yaml")
        == .object(["1": .string("a"), "2": .string("b")]))
  }

  @Test("a duplicate key in a large mapping is found however far apart the two are")
  func duplicateInLargeMapping() throws {
    // Small mappings compare keys one by one and larger ones hash them: a duplicate on either
    // side of the switch, and one spanning it, is found with the first one's line.
    for (first, second) in [(2, 5), (3, 40), (30, 41)] {
      var lines = (1...50).map { "k\($0): \($0)" }
      lines[second - 1] = "k\(first): again"
      let problem = try #require(throws: Diagnostic.self) {
        try YAMLLoader.load(lines.joined(separator: "\n") + "\n", file: "d.yaml")
      }
      #expect(problem.line == second, "\(problem)")
      #expect(problem.message.contains("duplicate key 'k\(first)'"), "\(problem)")
      #expect(problem.message.contains("line \(first),"), "\(problem)")
    }
    let distinct = (1...50).map { "k\($0): \($0)" }.joined(separator: "\n")
    guard case .object(let members) = try YAMLLoader.load(distinct, file: "d.yaml") else {
      Issue.record("not a mapping")
      return
    }
    #expect(members.count == 50)
  }

  @Test("a second document is refused at its start, with the fix")
  func secondDocument() throws {
    let problem = try #require(throws: Diagnostic.self) {
      try YAMLLoader.load("a: 1\n---\nb: 2\n", file: "d.yaml")
    }
    #expect(problem.line == 2, "\(problem)")
    #expect(problem.message.contains("second document"), "\(problem)")
    #expect(problem.fix?.contains("---") == true)
  }
}
