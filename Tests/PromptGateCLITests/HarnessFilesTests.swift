import Foundation
import TestSupport
import Testing

@Suite("A harness missing from the set's files")
struct HarnessFilesTests {
  @Test("the failure names the file and says to list it under files:, with no temporary path")
  func missingHarness() throws {
    let mapping = GateFixture.mapping().replacingOccurrences(
      of: "    files: [evals/harness.py]\n", with: "")
    let fixture = try GateFixture(mapping: mapping)
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--store", fixture.store])
    result.expect(exit: 3)
    #expect(
      result.stdout.contains("needs evals/harness.py, which is not among the eval set's files"),
      "\(result)")
    #expect(result.stdout.contains("list it under `files:`"))
    #expect(!result.stdout.contains("promptgate-"), "a temporary path leaked: \(result)")
  }
}
