import Foundation
import TestSupport
import Testing

/// What a new user sees from `diff` and `version` on JSON and YAML files.
@Suite("promptgate-diff and -version on structured files")
struct StructuredDiffCommandTests {
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
