import PromptGateCore
import Testing

@Suite("YAMLLoader (YAML 1.2 core schema)")
struct YAMLLoaderTests {
  private func load(_ text: String) throws -> JSONValue {
    try YAMLLoader.load(text, file: "test.yaml")
  }

  private func scalar(_ text: String) throws -> JSONValue {
    guard case .object(let members) = try load("k: \(text)\n"), let value = members["k"] else {
      throw Diagnostic(file: "test.yaml", "no value")
    }
    return value
  }

  @Test(
    "YAML 1.1 booleans and other 1.1-only forms stay strings",
    arguments: ["on", "off", "yes", "no", "On", "NO", "y", "n", "Yes", "0b101", "1_000", "1:20"])
  func oneOneFormsAreStrings(text: String) throws {
    #expect(try scalar(text) == .string(text))
  }

  @Test(
    "core schema booleans",
    arguments: [("true", true), ("True", true), ("TRUE", true), ("false", false), ("FALSE", false)])
  func booleans(text: String, expected: Bool) throws {
    #expect(try scalar(text) == .bool(expected))
  }

  @Test(
    "core schema integers and floats",
    arguments: [
      ("0", 0.0), ("-12", -12.0), ("+3", 3.0), ("017", 17.0), ("0o17", 15.0), ("0x1f", 31.0),
      ("0xFF", 255.0), ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0), ("-2.5E-1", -0.25),
    ])
  func numbers(text: String, expected: Double) throws {
    #expect(try scalar(text) == .number(expected))
  }

  @Test("null forms", arguments: ["null", "Null", "NULL", "~", ""])
  func nulls(text: String) throws {
    #expect(try scalar(text) == .null)
  }

  @Test("quoted scalars and dates stay strings")
  func quotedAndDates() throws {
    #expect(try scalar("\"0.7\"") == .string("0.7"))
    #expect(try scalar("'1024'") == .string("1024"))
    #expect(try scalar("'true'") == .string("true"))
    #expect(try scalar("\"null\"") == .string("null"))
    #expect(try scalar("2001-12-14") == .string("2001-12-14"))
    #expect(try scalar("2001-12-14t21:59:43.10-05:00") == .string("2001-12-14t21:59:43.10-05:00"))
  }

  @Test("nested structures load as JSON values")
  func structures() throws {
    let value = try load(
      """
      support:
        model: gpt-4o
        stop: [END, "###"]
        limits: {tokens: 10, strict: false}
      """)
    #expect(
      value
        == .object([
          "support": .object([
            "model": .string("gpt-4o"),
            "stop": .array([.string("END"), .string("###")]),
            "limits": .object(["tokens": .number(10), "strict": .bool(false)]),
          ])
        ]))
    #expect(try load("") == .null)
  }

  @Test("a duplicate key is an error naming the key and its line")
  func duplicateKeys() throws {
    let text = """
      first: 1
      nested:
        x: 0
        a: 1
        b: 2
        a: 3
      """
    let error = try #require(throws: Diagnostic.self) { try load(text) }
    #expect(error.file == "test.yaml")
    #expect(error.message.contains("'a'"))
    // The duplicate (line 6) is what to delete; the message names the first (line 4).
    #expect(error.line == 6, "\(error)")
    #expect(error.message.contains("line 4"), "\(error)")
  }

  @Test(
    "a duplicate key is found in small and large mappings, after aliases and nested values",
    arguments: [1, 2, 11, 12, 13, 40])
  func duplicateKeysAtEverySize(keys: Int) throws {
    // Keys k0...k(n-1), each with a nested value, an alias among them; then k0 again.
    var lines = ["top:", "  anchored: &shared {x: [1, 2]}"]
    for index in 0..<keys {
      lines.append(index == 1 ? "  k1: *shared" : "  k\(index): {nested: [a, {b: c}]}")
    }
    #expect(try load((lines + ["  kx: 0"]).joined(separator: "\n")) != .null)
    // The first key again, and the last: k(i) is written at line i + 3.
    for repeated in Set([0, keys - 1]) {
      let error = try #require(throws: Diagnostic.self) {
        try load((lines + ["  k\(repeated): again"]).joined(separator: "\n"))
      }
      #expect(error.message.contains("duplicate key 'k\(repeated)'"), "\(error)")
      #expect(error.line == keys + 3, "\(error)")
      #expect(error.message.contains("line \(repeated + 3)"), "\(error)")
    }
  }

  @Test("a syntax error names its line")
  func syntaxError() throws {
    let text = """
      ok: 1
      also: 2
      bad: "unterminated
      """
    let error = try #require(throws: Diagnostic.self) { try load(text) }
    #expect(error.file == "test.yaml")
    #expect(error.message.contains("invalid YAML"))
    #expect(error.line == 3)

    let indentation = try #require(throws: Diagnostic.self) {
      try load("ok: 1\nkey: value\n  other: 2\n")
    }
    #expect(indentation.line == 3)
  }
}
