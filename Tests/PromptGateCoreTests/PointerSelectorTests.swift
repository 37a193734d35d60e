import PromptGateCore
import TestSupport
import Testing

/// `[KEY=VALUE]` selects a list element by a key's value instead of its position.
@Suite("Pointer selectors")
struct PointerSelectorTests {
  private let flow = JSONValue.object([
    "nodes": .array([
      .object(["name": .string("retrieve"), "inputs": .object(["k": .number(5)])]),
      .object(["name": .string("classify"), "inputs": .object(["model": .string("gpt-4o")])]),
      .object(["name": .string("dup")]), .object(["name": .string("dup")]),
      .object(["id": .number(7), "inputs": .object(["model": .string("seven")])]),
      .string("not a mapping"),
    ]),
    "[literal": .string("bracket key"),
  ])

  private func resolve(_ text: String) throws -> Result<JSONValue, JSONPointer.Miss> {
    try #require(JSONPointer(text)).resolve(in: flow)
  }

  @Test("parsing: a selector step, escapes inside it, and ~2 for a key that begins with [")
  func parse() throws {
    let pointer = try #require(JSONPointer("/nodes/[name=classify]/inputs/model"))
    #expect(
      pointer.steps == [
        .key("nodes"), .element(key: "name", value: "classify"), .key("inputs"), .key("model"),
      ])
    #expect(pointer.description == "/nodes/[name=classify]/inputs/model")
    #expect(try #require(JSONPointer("/[a~1b=c~0d]")).steps == [.element(key: "a/b", value: "c~d")])
    #expect(try #require(JSONPointer("/[k=a=b]")).steps == [.element(key: "k", value: "a=b")])
    let escaped = try #require(JSONPointer("/~2literal"))
    #expect(escaped.steps == [.key("[literal")])
    #expect(escaped.description == "/~2literal")
    #expect(try #require(JSONPointer("/a[0]")).steps == [.key("a[0]")])
  }

  @Test("a selector finds the one element whose key has that value, wherever it is")
  func resolveSelector() throws {
    #expect(try resolve("/nodes/[name=classify]/inputs/model").get() == .string("gpt-4o"))
    #expect(try resolve("/nodes/[id=7]/inputs/model").get() == .string("seven"))
    #expect(try resolve("/~2literal").get() == .string("bracket key"))
  }

  @Test("no element matching is a miss; several matching is ambiguous")
  func missAndAmbiguity() throws {
    guard case .failure(let miss) = try resolve("/nodes/[name=summarize]/inputs") else {
      Issue.record("expected a miss")
      return
    }
    #expect(miss.found.description == "/nodes")
    #expect(miss.token == "[name=summarize]")
    #expect(!miss.isAmbiguous)

    guard case .failure(let ambiguous) = try resolve("/nodes/[name=dup]") else {
      Issue.record("expected ambiguity")
      return
    }
    #expect(ambiguous.isAmbiguous)
    #expect(ambiguous.ambiguousIndices == [2, 3])
    // A selector on a mapping is a miss too.
    guard case .failure = try resolve("/[name=x]") else {
      Issue.record("a selector on a mapping matched")
      return
    }
  }

  /// A repository whose flow file lists nodes, with a behavior that selects one by name.
  private func repository(model: String = "flow.dag.yaml#/nodes/[name=classify]/inputs/model")
    throws -> TemporaryRepository
  {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        flow:
          model: \(model)
          retrievalPolicy: flow.dag.yaml#/nodes/[name=retrieve]/inputs
        optional:
          model: {file: flow.dag.yaml, pointer: "/nodes/[name=missing]/inputs/model", optional: true}
          decoding: {temperature: 0.1}

      """)
    try repository.write(
      "flow.dag.yaml",
      """
      nodes:
        - name: retrieve
          inputs: {top_k: 5}
        - name: classify
          inputs: {model: gpt-4o}

      """)
    try repository.commit("Flow")
    return repository
  }

  @Test("version: inserting a node before the selected one keeps the value and the id")
  func insertedNode() throws {
    let repository = try repository()
    let before = try repository.version("flow")
    #expect(before.model == "gpt-4o")
    try repository.write(
      "flow.dag.yaml",
      """
      nodes:
        - name: rewrite
          inputs: {model: gpt-4o-mini}
        - name: retrieve
          inputs: {top_k: 5}
        - name: classify
          inputs: {model: gpt-4o}

      """)
    #expect(try repository.version("flow") == before)
    #expect(try repository.version("optional").model == nil)
  }

  @Test("diff: a change in the selected element is reported under its component")
  func diff() throws {
    let repository = try repository()
    try repository.edit("flow.dag.yaml", replacing: "top_k: 5", with: "top_k: 8")
    let change = try repository.changes(.revision("HEAD"), .workTree).behavior("flow")
    #expect(change.changed == [.retrievalPolicy])
    let values = try #require(try change.component(.retrievalPolicy).values)
    #expect(values.map(\.pointer) == ["/top_k"])
    #expect(values.first?.old == .number(5))
    #expect(values.first?.new == .number(8))
  }

  @Test("no element matching makes a required source absent, as a missing key does")
  func absent() throws {
    let repository = try repository(model: "flow.dag.yaml#/nodes/[name=summarize]/inputs/model")
    guard case .absent(let absence) = try repository.state("flow") else {
      Issue.record("expected flow to be absent")
      return
    }
    #expect(absence.component == .model)
    #expect(absence.reason.contains("[name=summarize]"), "\(absence)")
  }

  @Test("several elements matching is an error naming the file, the pointer and the fix")
  func ambiguous() throws {
    let repository = try repository()
    try repository.write(
      "flow.dag.yaml",
      """
      nodes:
        - name: retrieve
          inputs: {top_k: 5}
        - name: classify
          inputs: {model: gpt-4o}
        - name: classify
          inputs: {model: gpt-4o-mini}

      """)
    let error = try #require(throws: Diagnostic.self) { try repository.state("flow") }
    #expect(error.file == "flow.dag.yaml")
    #expect(error.message.contains("/nodes/[name=classify]/inputs/model"), "\(error)")
    #expect(error.message.contains("2 elements"), "\(error)")
    #expect(error.fix != nil)
  }
}
