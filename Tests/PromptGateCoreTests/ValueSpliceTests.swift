import PromptGateCore
import TestSupport
import Testing

/// Splicing one value into YAML and JSON text: every other byte stays as written.
@Suite("ValueSplice: a value written back in place")
struct ValueSpliceTests {
  static let yaml = """
    # LLM settings for every behavior.
    defaults: &defaults
      temperature: 0.5   # shared
    support:
      model: gpt-4o       # the model users see
      temperature: 0.2
      max_tokens: "1024"
      label: 'it''s fine'
      stop: ["END", 'STOP', plain]
      style: {tone: warm, length: 3}
    other:
      <<: *defaults
      alias: *defaults

    """

  private func splice(
    _ text: String, _ pointer: String, _ value: JSONValue, path: String = "config/llm.yaml",
    origin: ValueSplice.Origin? = nil
  ) throws -> String {
    let pointer = try #require(JSONPointer(pointer))
    let result = try ValueSplice.splice(
      Array(text.utf8), path: path, file: path, pointer: pointer, to: value, origin: origin)
    return String(decoding: result.bytes, as: UTF8.self)
  }

  private func refusal(
    _ text: String, _ pointer: String, _ value: JSONValue, path: String = "config/llm.yaml"
  ) throws -> Diagnostic {
    do {
      _ = try splice(text, pointer, value, path: path)
    } catch let error as Diagnostic {
      return error
    }
    Issue.record("the splice of \(pointer) was not refused")
    throw CommandError("not refused")
  }

  @Test("a plain scalar is replaced in place; its comment and every other line stay")
  func plainScalar() throws {
    let out = try splice(Self.yaml, "/support/model", .string("gpt-4o-mini"))
    #expect(
      out
        == Self.yaml.replacingOccurrences(
          of: "model: gpt-4o       #", with: "model: gpt-4o-mini       #"))
  }

  @Test("a number stays a plain number; a numeric string stays a quoted string")
  func numbersAndNumericStrings() throws {
    let number = try splice(Self.yaml, "/support/temperature", .number(0.7))
    #expect(
      number == Self.yaml.replacingOccurrences(of: "temperature: 0.2", with: "temperature: 0.7"))
    let string = try splice(Self.yaml, "/support/max_tokens", .string("2048"))
    #expect(string == Self.yaml.replacingOccurrences(of: "\"1024\"", with: "\"2048\""))
    // A plain scalar whose new text would read as a number is quoted to stay a string.
    let quoted = try splice(Self.yaml, "/support/model", .string("4"))
    #expect(quoted.contains("model: \"4\"       # the model"))
  }

  @Test("single-quoted and flow-list scalars keep their style")
  func quotedAndFlow() throws {
    let single = try splice(Self.yaml, "/support/label", .string("don't"))
    #expect(single.contains("label: 'don''t'\n"))
    let flow = try splice(Self.yaml, "/support/stop/1", .string("HALT"))
    #expect(flow.contains("stop: [\"END\", 'HALT', plain]"))
    let plain = try splice(Self.yaml, "/support/stop/2", .string("a,b"))
    #expect(plain.contains("stop: [\"END\", 'STOP', \"a,b\"]"))
    let flowMapping = try splice(Self.yaml, "/support/style/length", .number(5))
    #expect(flowMapping.contains("style: {tone: warm, length: 5}"))
  }

  @Test("an anchored value and an alias are refused, with the line")
  func anchorsRefused() throws {
    let anchored = try refusal(Self.yaml, "/defaults/temperature", .number(0.9))
    #expect(anchored.line == 2)
    #expect(anchored.message.contains("anchor or an alias"))
    let alias = try refusal(Self.yaml, "/other/alias/temperature", .number(0.9))
    #expect(alias.message.contains("anchor or an alias"))
    // A value that only a merge key supplies is not written in place.
    let merged = try refusal(Self.yaml, "/other/temperature", .number(0.9))
    #expect(merged.message.contains("merge key"))
  }

  @Test("a block scalar is refused rather than rewritten")
  func blockScalarRefused() throws {
    let text = "prompt: |\n  Hello\n  there\nmodel: x\n"
    let refused = try refusal(text, "/prompt", .string("Bye"))
    #expect(refused.line == 1)
    #expect(refused.message.contains("block scalar"))
  }

  @Test("a block subtree is written as the version's own text, re-indented where it goes")
  func blockSubtree() throws {
    let current = "support:\n  retrieval:\n    top_k: 1\n    index: faq\n# end\n"
    let target =
      "retrieval:\n  top_k: 8  # wider\n  # the help center\n  index: help-center\n  extra: [a, b]\n"
    let origin = ValueSplice.Origin(
      bytes: Array(target.utf8), path: "old.yaml", pointer: try #require(JSONPointer("/retrieval")))
    let value: JSONValue = .object([
      "top_k": .number(8), "index": .string("help-center"),
      "extra": .array([.string("a"), .string("b")]),
    ])
    let out = try splice(current, "/support/retrieval", value, origin: origin)
    #expect(
      out
        == "support:\n  retrieval:\n    top_k: 8  # wider\n    # the help center\n    index: help-center\n    extra: [a, b]\n# end\n"
    )
  }

  @Test("JSON with odd spacing keeps its spacing; a subtree takes the version's text")
  func json() throws {
    let text = "{ \"support\" :{\"model\":   \"gpt-4o\" ,\n\t\"top_k\" : 5 },\"x\":[1,2] }\n"
    let model = try splice(text, "/support/model", .string("o3"), path: "c.json")
    #expect(model == text.replacingOccurrences(of: "\"gpt-4o\"", with: "\"o3\""))
    let number = try splice(text, "/x/1", .number(3), path: "c.json")
    #expect(number == text.replacingOccurrences(of: "[1,2]", with: "[1,3]"))
    let target = "{\"support\": {\"model\": \"a\", \"top_k\": 9}}"
    let origin = ValueSplice.Origin(
      bytes: Array(target.utf8), path: "old.json", pointer: try #require(JSONPointer("/support")))
    let subtree = try splice(
      text, "/support", .object(["model": .string("a"), "top_k": .number(9)]), path: "c.json",
      origin: origin)
    #expect(subtree == "{ \"support\" :{\"model\": \"a\", \"top_k\": 9},\"x\":[1,2] }\n")
  }

  @Test("a selector step finds the element by its key")
  func selector() throws {
    let text = "nodes:\n  - name: plan\n    model: a\n  - name: classify\n    model: b\n"
    let out = try splice(text, "/nodes/[name=classify]/model", .string("c"))
    #expect(out == text.replacingOccurrences(of: "model: b", with: "model: c"))
  }

  @Test("a regex source's captured group is replaced and nothing else")
  func regex() throws {
    let text = "import os\nMODEL = \"gpt-4o\"\nOTHER = \"gpt-4o\"\n"
    let (bytes, line, old) = try RegexSplice.splice(
      Array(text.utf8), file: "app.py", pattern: "^MODEL = \"([^\"]+)\"$", group: 1, to: "o3")
    #expect(
      String(decoding: bytes, as: UTF8.self)
        == text.replacingOccurrences(
          of: "MODEL = \"gpt-4o\"", with: "MODEL = \"o3\""))
    #expect(line == 2)
    #expect(old == "gpt-4o")
  }
}
