import Foundation
import TestSupport
import Testing

/// `promptgate-export` through the binary: output, the archive, exit codes.
@Suite("promptgate-export")
struct ExportCommandTests {
  @Test("--archive writes the same bytes twice; the text names the id and the files")
  func archive() throws {
    let fixture = try GateFixture()
    let repository = fixture.repository
    let id = try fixture.botId()
    let first = repository.container + "/one.tar"
    let result = try repository.run("promptgate-export", ["bot", "--archive", first])
    result.expect(exit: 0)
    #expect(result.stdout.hasPrefix("exported bot \(id) (commit \(fixture.baseline.prefix(12))"))
    #expect(result.stdout.contains("\n  behavior.json\n  prompts/system.md"))
    let second = repository.container + "/two.tar"
    try repository.run("promptgate-export", ["bot", "--to", fixture.baseline, "--archive", second])
      .expect(exit: 0)
    #expect(
      FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: second))
  }

  @Test("neither or both destinations, and a target that names nothing, exit 2")
  func usage() throws {
    let fixture = try GateFixture()
    let neither = try fixture.repository.run("promptgate-export", ["bot"])
    neither.expect(exit: 2)
    #expect(neither.stderr.contains("give one of --out DIR and --archive FILE.tar"))
    let nothing = try fixture.repository.run(
      "promptgate-export", ["bot", "--to", "previous", "--out", "x"])
    nothing.expect(exit: 2)
    #expect(nothing.stderr.contains("bot has no release whose id differs from HEAD's"))
  }
}
