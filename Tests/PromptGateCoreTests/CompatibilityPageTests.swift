import Foundation
import TestSupport
import Testing

@testable import PromptGateCore

/// docs/compatibility.md is kept true: every row of its tables is checked against the parser,
/// by its tables or by parsing a file that uses the construct.
@Suite("docs/compatibility.md matches the parser")
struct CompatibilityPageTests {
  /// The rows of each table, by the `###` heading above it: first cell (backticks removed) and
  /// status.
  static let tables: [String: [(String, String)]] = {
    let text =
      (try? String(contentsOfFile: PackageFiles.path("docs/compatibility.md"), encoding: .utf8))
      ?? ""
    var result: [String: [(String, String)]] = [:]
    var heading = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("### ") {
        heading = String(line.dropFirst(4))
        continue
      }
      guard line.hasPrefix("| "), !line.hasPrefix("| ---") else { continue }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard cells.count > 3, ["supported", "ignored", "refused"].contains(cells[2]) else {
        continue
      }
      result[heading, default: []].append(
        (cells[1].replacingOccurrences(of: "`", with: ""), cells[2]))
    }
    return result
  }()

  private func rows(_ table: String, _ status: String) -> Set<String> {
    Set((Self.tables[table] ?? []).filter { $0.1 == status }.map(\.0))
  }

  private func parses(_ text: String, file: String = "evals/promptfooconfig.yaml") -> Bool {
    (try? CaseFile.parse(Array(text.utf8), file: file, path: file, tree: .memory([:]))) != nil
  }

  @Test("the page has every table")
  func tablesPresent() {
    for table in [
      "Config keys", "Test keys", "Test options", "Assertion keys", "Assertion types",
      "CSV columns", "Sample fields",
    ] {
      #expect(!(Self.tables[table] ?? []).isEmpty, "no rows under ### \(table)")
    }
  }

  @Test("assertion types: supported ones parse, refused ones are refused, none is missing")
  func assertionTypes() {
    let supported = rows("Assertion types", "supported")
    let refused = rows("Assertion types", "refused")
    #expect(supported == Set(Assertion.knownTypes + ["assert-set"]))
    #expect(refused == Set(Assertion.refusedTypes.keys))
    // Assertion.parse consults the refused types only for a type it does not know.
    #expect(Set(Assertion.knownTypes).isDisjoint(with: Assertion.refusedTypes.keys))
    for type in refused {
      #expect(
        !parses("tests: [{vars: {q: 1}, assert: [{type: \(type), value: x}]}]"), "\(type) parsed")
    }
  }

  @Test("assertion keys and test options agree with the parser's tables")
  func keysAndOptions() {
    #expect(
      rows("Assertion keys", "supported").union(rows("Assertion keys", "ignored"))
        == Set(Assertion.knownKeys))
    #expect(rows("Assertion keys", "refused") == Set(Assertion.refusedKeys.keys))
    #expect(rows("Test options", "supported") == Set(PromptfooSuite.harmlessOptions))
    #expect(rows("Test options", "refused") == Set(PromptfooSuite.refusedOptions.keys))
    for option in rows("Test options", "refused") {
      #expect(!parses("tests: [{vars: {q: 1}, options: {\(option): x}}]"), "\(option) parsed")
    }
  }

  @Test("test keys and config keys: each row's status is what parsing a file with it gives")
  func testAndConfigKeys() {
    for (key, status) in Self.tables["Test keys"] ?? [] where key != "vars" {
      let sample =
        key == "options" || key == "metadata"
        ? "{}" : key == "assert" ? "[]" : key == "threshold" ? "0.5" : "'1'"
      let accepted = parses("tests: [{vars: {q: 1}, \(key): \(sample)}]")
      #expect(accepted == (status != "refused"), "test key \(key) is \(status)")
    }
    for (key, status) in Self.tables["Config keys"] ?? [] where key != "tests" {
      let sample = key == "scenarios" ? "[{config: [{vars: {a: 1}}]}]" : "{}"
      let accepted = parses("\(key): \(sample)\ntests: [{vars: {q: 1}}]\n")
      #expect(accepted == (status != "refused"), "config key \(key) is \(status)")
    }
  }

  @Test("CSV columns: each row's status is what parsing a CSV with it gives")
  func csvColumns() {
    let columns = (Self.tables["CSV columns"] ?? []).flatMap { cell, status in
      cell.components(separatedBy: ", ").map { ($0, status) }
    }
    for (column, status) in columns where column.hasPrefix("__") {
      let name = column.replacingOccurrences(of: "KEY", with: "owner")
        .replacingOccurrences(of: "...", with: "x").replacingOccurrences(of: "N", with: "2")
      let value = name.hasPrefix("__expected") ? "contains:a" : "0.5"
      let accepted = parses("q,\(name)\nhi,\(value)\n", file: "evals/t.csv")
      #expect(accepted == (status != "refused"), "column \(column) is \(status)")
    }
  }

  @Test("Inspect sample fields: each row's status is what parsing a sample with it gives")
  func inspectFields() {
    for (field, status) in Self.tables["Sample fields"] ?? [] where field != "input" {
      let name = field == "any other field" ? "explanation" : field
      let value = field == "metadata" ? #"{"a": 1}"# : #""x""#
      let accepted = parses(#"{"input": "q", "\#(name)": \#(value)}"#, file: "evals/s.jsonl")
      #expect(accepted == (status != "refused"), "field \(field) is \(status)")
    }
  }
}
