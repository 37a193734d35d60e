import Testing

@testable import PromptGateCore

/// Case files large enough to be read in parts (JSON Lines in parts of whole lines, and the
/// cases of every format expanded and decoded in parts) give what a single pass gives.
@Suite("Large case files")
struct LargeCaseFileTests {
  /// `count` lines with a blank line every 97th (empty, or of ASCII or other Unicode white
  /// space): the line of each case and its `case-N` id, counted over non-blank lines, as the
  /// user reads the file.
  private func lines(count: Int, _ text: (Int) -> String) -> (String, [(line: Int, id: String)]) {
    var file = ""
    var expected: [(line: Int, id: String)] = []
    var position = 0
    for line in 1...count {
      if line % 97 == 0 {
        file += ["", "   ", "\u{A0}", "\t\u{2003} \u{0B}"][(line / 97) % 4] + "\n"
        continue
      }
      position += 1
      file += text(line) + "\n"
      expected.append((line, "case-\(position)"))
    }
    return (file, expected)
  }

  @Test("ids by position and lines of a large JSON Lines file are a single pass's")
  func positionsAcrossParts() throws {
    let (text, expected) = lines(count: 20_000) { #"{"vars": {"n": \#($0)}}"# }
    #expect(text.utf8.count > CaseFile.parallelBytes)
    let cases = try CaseFile.parse(Array(text.utf8), file: "evals/big.jsonl")
    #expect(cases.count == expected.count)
    #expect(cases.map(\.line) == expected.map(\.line))
    #expect(cases.map(\.id) == expected.map(\.id))
    #expect(cases.map { $0.vars["n"] } == expected.map { JSONValue.number(Double($0.line)) })
  }

  @Test("malformed lines and duplicate ids in every part are reported at their lines")
  func problemsAcrossParts() {
    let malformed: Set = [2_000, 6_500, 11_000]
    let (text, _) = lines(count: 20_000) { line in
      if malformed.contains(line) { return #"{"vars": "# }
      if line == 100 || line == 10_000 || line == 15_000 { return #"{"id": "same"}"# }
      return #"{"vars": {"n": \#(line)}}"#
    }
    do {
      let cases = try CaseFile.parse(Array(text.utf8), file: "evals/big.jsonl")
      Issue.record("expected problems, parsed \(cases.count) cases")
    } catch {
      #expect(error.items.map(\.line) == [2_000, 6_500, 10_000, 11_000, 15_000])
      #expect(error.items.filter { $0.message.hasPrefix("malformed JSON") }.count == 3)
      // Every repeat names the first case with the id, the third as the second.
      for line in [10_000, 15_000] {
        let duplicate = error.items.first { $0.line == line }
        #expect(duplicate?.message.contains("is also the id of the case at line 100") == true)
      }
    }
  }

  @Test("file:// vars of a large file are read from the tree by every part")
  func treeAcrossParts() throws {
    let tree = CaseTree.memory([
      "evals/docs/a.txt": "alpha\n", "evals/docs/b.txt": " beta ", "evals/docs/c.txt": "gamma",
    ])
    let (text, expected) = lines(count: 8_000) { line in
      line % 1_000 == 0
        ? #"{"id": "g\#(line)", "vars": {"doc": "file://docs/*.txt"}}"#
        : #"{"vars": {"doc": "file://docs/\#(["a", "b", "c"][line % 3]).txt"}}"#
    }
    #expect(text.utf8.count > CaseFile.parallelBytes)
    let cases = try CaseFile.parse(
      Array(text.utf8), file: "evals/big.jsonl", path: "evals/big.jsonl", tree: tree)
    // Each glob line stands for three cases, one per file.
    #expect(cases.count == expected.count + 2 * 8)
    var index = 0
    for (line, id) in expected {
      if line % 1_000 == 0 {
        #expect(cases[index..<index + 3].map(\.line) == [line, line, line])
        let docs: [JSONValue?] = [.string("alpha"), .string("beta"), .string("gamma")]
        #expect(cases[index..<index + 3].map { $0.vars["doc"] } == docs)
        index += 3
      } else {
        #expect(cases[index].id == id)
        #expect(cases[index].vars["doc"] == .string(["alpha", "beta", "gamma"][line % 3]))
        index += 1
      }
    }
  }

  @Test("a large JSON Lines file whose line names other files reads them in its place")
  func referenceLineInLargeFile() throws {
    let tree = CaseTree.memory([
      "evals/more.jsonl": #"{"id": "m1"}"# + "\n" + #"{"id": "m2"}"# + "\n"
    ])
    let (text, expected) = lines(count: 20_000) { line in
      line == 15_000 ? #""file://more.jsonl""# : #"{"id": "c\#(line)"}"#
    }
    #expect(text.utf8.count > CaseFile.parallelBytes)
    let cases = try CaseFile.parse(
      Array(text.utf8), file: "evals/big.jsonl", path: "evals/big.jsonl", tree: tree)
    let ids = expected.flatMap { $0.line == 15_000 ? ["m1", "m2"] : ["c\($0.line)"] }
    #expect(cases.map(\.id) == ids)
  }
}
