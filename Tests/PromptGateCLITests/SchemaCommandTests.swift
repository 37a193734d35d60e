import Foundation
import TestSupport
import Testing

/// `promptgate schema` prints the committed schema, from any directory, repository or not.
@Suite("promptgate schema")
struct SchemaCommandTests {
  @Test("prints schema/promptgate.schema.json exactly, on stdout, and exits 0")
  func printsTheCommittedSchema() throws {
    let scratch = try TemporaryRepository()
    let committed = try String(
      contentsOfFile: PackageFiles.path("schema/promptgate.schema.json"), encoding: .utf8)
    for (name, arguments) in [("promptgate-schema", []), ("promptgate", ["schema"])] {
      let result = try scratch.run(name, arguments)
      result.expect(exit: 0)
      #expect(result.stderr.isEmpty)
      #expect(
        result.stdout == committed,
        "schema/promptgate.schema.json is out of date: run `make schema`")
    }
  }

  @Test("an argument it does not take exits 2")
  func usage() throws {
    let scratch = try TemporaryRepository()
    let result = try scratch.run("promptgate-schema", ["extra"])
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
  }
}
