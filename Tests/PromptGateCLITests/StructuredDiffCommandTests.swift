import Foundation
import TestSupport
import Testing

/// What a new user sees from `diff` and `version` on JSON and YAML files.
@Suite("promptgate-diff and -version on structured files")
struct StructuredDiffCommandTests {
  @Test("a modified tool schema lists its changed leaves under the file, in text and JSON")
  func toolSchemaLeaves() throws {
    let repository = try ExampleProject.repository()
    try repository.write(
      "tools/support/lookup_order.json",
      """
      {"name": "lookup_order", "description": "Find an order",
       "parameters": {"type": "object", "properties": {"id": {"type": "integer"}}}}

      """)
    try repository.commit("Order ids are numbers")

    let text = try repository.run("promptgate-diff", ["HEAD~1", "HEAD"])
    text.expect(exit: 0)
    let lines = text.stdout.split(separator: "\n").map(String.init)
    let modified = try #require(
      lines.firstIndex { $0.hasSuffix("modified  tools/support/lookup_order.json") }, "\(text)")
    #expect(
      Array(lines[(modified + 1)...].prefix(2)) == [
        #"      /description: (none) -> "Find an order""#,
        #"      /parameters/properties/id/type: "string" -> "integer""#,
      ], "\(text)")

    let json = try repository.run("promptgate-diff", ["HEAD~1", "HEAD", "--format", "json"])
    json.expect(exit: 0)
    let document = try JSONOutput.object(json.stdout)
    let behaviors = try #require(document["behaviors"] as? [[String: Any]])
    let components = try #require(behaviors.first?["components"] as? [[String: Any]])
    let tools = try #require(components.first { $0["component"] as? String == "toolSchema" })
    let fileValues = try #require(tools["fileValues"] as? [[String: Any]], "\(json.stdout)")
    #expect(fileValues.first?["path"] as? String == "tools/support/lookup_order.json")
    #expect(fileValues.first?["omitted"] as? Int == 0)
    let values = try #require(fileValues.first?["values"] as? [[String: Any]])
    #expect(
      values.map { $0["pointer"] as? String } == ["/description", "/parameters/properties/id/type"])
    #expect(values.last?["old"] as? String == "string")
    #expect(values.last?["new"] as? String == "integer")
  }

  @Test("more than 20 changed leaves in one file end with 'and N more'")
  func cappedLeaves() throws {
    let repository = try ExampleProject.repository()
    let properties = (1...25).map { "\"p\($0)\": {\"type\": \"string\"}" }.joined(separator: ", ")
    try repository.write(
      "tools/support/lookup_order.json",
      "{\"name\": \"lookup_order\", \"parameters\": {\"type\": \"object\", \"properties\": {"
        + "\"id\": {\"type\": \"string\"}, \(properties)}}}\n")
    let result = try repository.run("promptgate-diff", ["HEAD", "--worktree"])
    result.expect(exit: 0)
    let leaves = result.stdout.split(separator: "\n").filter { $0.hasPrefix("      /") }
    #expect(leaves.count == 20, "\(result)")
    #expect(result.stdout.contains("\n      and 5 more"), "\(result)")
  }

  @Test("a selector matching several list elements exits 2 naming the file and the pointer")
  func ambiguousSelector() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml", "behaviors:\n  flow:\n    model: flow.yaml#/nodes/[name=classify]/model\n")
    try repository.write(
      "flow.yaml", "nodes:\n  - {name: classify, model: a}\n  - {name: classify, model: b}\n")
    let result = try repository.run("promptgate-version", ["--worktree"])
    result.expect(exit: 2)
    #expect(result.stderr.contains("flow.yaml: error:"), "\(result)")
    #expect(result.stderr.contains("/nodes/[name=classify]/model"), "\(result)")
    #expect(result.stderr.contains("fix:"), "\(result)")
  }

  @Test("a tab indenting the mapping file is named with its line and the fix")
  func tabInMapping() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  a:\n\tmodel: {value: gpt-4o}\n")
    let result = try repository.run("promptgate-version", ["--worktree"])
    result.expect(exit: 2)
    #expect(result.stderr.contains("promptgate.yaml:3:1: error:"), "\(result)")
    #expect(result.stderr.contains("tab"), "\(result)")
    #expect(result.stderr.contains("fix: indent with spaces"), "\(result)")
  }
}
