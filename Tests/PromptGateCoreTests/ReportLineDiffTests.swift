import Testing

@testable import PromptGateCore

/// Which lines of the head annotations point at.
@Suite("report: line diff")
struct ReportLineDiffTests {
  private func diff(_ old: [String], _ new: [String]) -> [LineRange] {
    LineDiff.changedLines(
      old: old.map { $0 + "\n" }.joined(), new: new.map { $0 + "\n" }.joined())
  }

  private func range(_ start: Int, _ end: Int) -> LineRange {
    LineRange(start: start, end: end)
  }

  @Test("an insertion in the middle is its own lines")
  func insertion() {
    #expect(diff(["a", "b", "c"], ["a", "b", "X", "c"]) == [range(3, 3)])
    #expect(diff(["a", "b"], ["X", "a", "b"]) == [range(1, 1)])
    #expect(diff(["a", "b"], ["a", "b", "X", "Y"]) == [range(3, 4)])
  }

  @Test("separate hunks are separate ranges")
  func hunks() {
    let old = (1...10).map(String.init)
    var new = old
    new[1] = "two"
    new[7] = "eight"
    new.insert(contentsOf: ["x", "y"], at: 5)
    #expect(diff(old, new) == [range(2, 2), range(6, 7), range(10, 10)])
  }

  @Test("a changed block is the new lines that replace it")
  func replacement() {
    #expect(diff(["a", "b", "c"], ["a", "X", "Y", "c"]) == [range(2, 3)])
  }

  @Test("a pure deletion points at the line after it, clamped to the last line")
  func deletion() {
    #expect(diff(["a", "b", "c", "d"], ["a", "d"]) == [range(2, 2)])
    #expect(diff(["a", "b", "c"], ["a", "b"]) == [range(2, 2)])
    #expect(diff(["a", "b", "c"], ["b", "c"]) == [range(1, 1)])
    #expect(diff(["a", "b", "c", "d", "e"], ["a", "c", "e"]) == [range(2, 2), range(3, 3)])
  }

  @Test("empty files: everything is new, or nothing is left to point at")
  func empty() {
    #expect(LineDiff.changedLines(old: "", new: "a\nb\n") == [range(1, 2)])
    #expect(LineDiff.changedLines(old: "a\nb\n", new: "") == [])
    #expect(LineDiff.changedLines(old: "", new: "") == [])
    #expect(LineDiff.changedLines(old: "same\n", new: "same\n") == [])
  }

  @Test("a final newline added or removed points at the last line")
  func finalNewline() {
    #expect(LineDiff.changedLines(old: "a\nb", new: "a\nb\n") == [range(2, 2)])
    #expect(LineDiff.changedLines(old: "a\nb\n", new: "a\nc") == [range(2, 2)])
  }

  @Test("texts too different for the search fall back to one trimmed range")
  func fallback() {
    let old = (0..<3000).map { "old \($0)" }
    let new = ["keep"] + (0..<3000).map { "new \($0)" } + ["tail"]
    #expect(diff(["keep"] + old + ["tail"], new) == [range(2, 3001)])
    #expect(LineDiff.edits(old.indices.map { $0 }, old.indices.map { -1 - $0 }) == nil)
  }

  @Test("the edits keep a longest common subsequence", arguments: 0..<40)
  func minimal(seed: Int) {
    var generator = SplitMix(seed: UInt64(seed))
    let a = (0..<Int(generator.next() % 12)).map { _ in Int(generator.next() % 4) }
    let b = (0..<Int(generator.next() % 12)).map { _ in Int(generator.next() % 4) }
    guard let edits = LineDiff.edits(a, b) else {
      Issue.record("no edits")
      return
    }
    let keptA = a.indices.filter { !edits.deleted[$0] }.map { a[$0] }
    let keptB = b.indices.filter { !edits.inserted[$0] }.map { b[$0] }
    #expect(keptA == keptB)
    #expect(keptA.count == lcs(a, b))
  }

  private func lcs(_ a: [Int], _ b: [Int]) -> Int {
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in a.indices.reversed() {
      for j in b.indices.reversed() {
        table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    return table[0][0]
  }
}

/// A small deterministic generator for the property test.
struct SplitMix {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
