import PromptGateCore
import Testing

/// Diagnostics stay readable whatever the input: values are quoted short, long lists are cut,
/// and bytes that cannot be read are located.
@Suite("Diagnostic limits and locations")
struct DiagnosticLimitTests {
  @Test("a huge value is quoted to 200 characters")
  func hugeValue() {
    let value = String(repeating: "k", count: 5_000_000)
    let yaml = "behaviors:\n  bot:\n    model: {value: m}\nproviders:\n  p: {type: \(value)}\n"
    let problems = MappingProblems.of(yaml)
    #expect(problems.count == 1)
    let text = Diagnostics(problems).description
    #expect(text.utf8.count < 1_000, "\(text.utf8.count) bytes")
    #expect(
      text.contains("'" + String(repeating: "k", count: 200) + "… (4999800 more characters)'"))
  }

  @Test("a huge unknown key in a case is quoted to 200 characters")
  func hugeCaseKey() throws {
    let key = String(repeating: "c", count: 1_000_000)
    let line = "{\"id\": \"a\", \"vars\": {}, \"\(key)\": 1}\n"
    do {
      _ = try CaseFile.parse(Array(line.utf8), file: "evals/s.jsonl")
      Issue.record("the case parsed")
    } catch {
      #expect(error.description.utf8.count < 1_000, "\(error.description.utf8.count) bytes")
      #expect(error.description.contains("more characters)' in a case"))
    }
  }

  @Test("a huge value in any message is cut, even where it is not quoted on purpose")
  func messageSafetyNet() {
    let diagnostic = Diagnostic(file: "f", String(repeating: "x", count: 1_000_000), fix: "y")
    #expect(diagnostic.description.utf8.count < 3_000)
    #expect(Diagnostic.quote("short") == "'short'")
  }

  @Test("100,000 problems print the first 20, then how many more")
  func manyProblems() {
    let keys = (0..<100_000).map { "k\($0): 1" }.joined(separator: "\n")
    let problems = MappingProblems.of("behaviors:\n  bot:\n    model: {value: m}\n" + keys + "\n")
    #expect(problems.count == 100_000)
    let lines = Diagnostics(problems).description.split(separator: "\n")
    #expect(lines.filter { $0.contains(": error: ") }.count == 20)
    #expect(lines.last == "and 99980 more problems")
    #expect(lines.first?.hasPrefix("promptgate.yaml:4:1: error: unknown key 'k0'") == true)
  }

  @Test("every printed unknown key has its did-you-mean, however the keys are ordered")
  func suggestionsOfPrintedKeys() {
    // 30 misspelt top-level keys after the behaviors, whose 5 misspelt fields come first in the
    // file but are read after the top level.
    let fields = ["modl", "mode", "moddel", "modell", "mmodel"].map { "    \($0): {value: m}" }
    let top = (0..<30).map { "evalSet\($0 == 0 ? "" : String($0)): {}" }
    let yaml = (["behaviors:", "  bot:", "    prompt: [a.md]"] + fields + top).joined(
      separator: "\n")
    let problems = MappingProblems.of(yaml + "\n").sorted {
      ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0)
    }
    #expect(problems.count == 35)
    let printed = problems.prefix(Diagnostics.shownLimit)
    #expect(printed.prefix(5).allSatisfy { $0.message.contains("in behaviors.bot") })
    #expect(printed.prefix(5).allSatisfy { $0.fix?.contains("did you mean 'model'") == true })
    #expect(printed.dropFirst(5).allSatisfy { $0.fix?.contains("did you mean 'evalSets'") == true })
    // Past the printed ones, a key's fix lists the keys instead.
    #expect(problems.last?.fix?.hasPrefix("the keys here are: ") == true)
  }

  @Test("bytes that are not UTF-8 are located at the first offending byte")
  func notUTF8() {
    let bytes = Array("behaviors:\n  bot:\n    mödel".utf8) + [0xFF] + Array(": x\n".utf8)
    let diagnostic = Diagnostic.notUTF8(bytes, file: "promptgate.yaml")
    #expect(diagnostic.line == 3)
    #expect(diagnostic.column == 10)
    #expect(diagnostic.description.hasPrefix("promptgate.yaml:3:10: error: is not UTF-8 text"))
    #expect(Diagnostic.notUTF8([0x80], file: "f").line == 1)
    #expect(Diagnostic.notUTF8([0x80], file: "f").column == 1)
  }

  @Test("a control character in the mapping is located")
  func controlCharacter() {
    let yaml = "behaviors:\n  bot:\n    mo\u{7}del: {value: m}\n"
    let problems = MappingProblems.of(yaml)
    #expect(problems.count == 1)
    #expect(problems.first?.message.contains("control characters are not allowed") == true)
    #expect(problems.first?.line == 3)
    #expect(problems.first?.column == 7)
  }

  @Test("a warning says so")
  func warning() {
    let diagnostic = Diagnostic(file: "f", line: 2, "w", severity: .warning)
    #expect(diagnostic.description == "f:2: warning: w")
  }
}
