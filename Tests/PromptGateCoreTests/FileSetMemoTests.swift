import Testing

@testable import PromptGateCore

/// A file set's digest joined from each file's kept canonical bytes must be the digest of the
/// canonical array itself: version ids must not change with how they are computed.
@Suite("FileSetMemo")
struct FileSetMemoTests {
  @Test("the joined digest equals the canonical array's, for names that need escaping")
  func digestMatchesCanonicalForm() throws {
    let names = [
      "a.md", "quote\".md", "back\\slash.md", "tab\there.md", "new\nline.md", "ünïcödé/ß.md",
      "emoji/🙂.md", "deep/er/still/x.md", "\u{01}control.md",
    ]
    var files: [ResolvedFile] = []
    for (number, name) in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
      .enumerated()
    {
      files.append(
        ResolvedFile(
          path: "prompts/" + name, relativePath: name, mode: number % 2 == 0 ? "100644" : "100755",
          digest: Digest.sha256(name)))
    }
    for count in [0, 1, files.count] {
      let chosen = Array(files.prefix(count))
      let memo = FileSetMemo(
        roots: [:], candidates: [:], entries: try chosen.map { ($0, try FileSetMemo.fragment($0)) },
        relativeOf: [:])
      let list = JSONValue.array(
        chosen.map {
          .object([
            "path": .string($0.relativePath), "mode": .string($0.mode),
            "digest": .string($0.digest),
          ])
        })
      #expect(memo.digest() == (try Digest.canonical(list)), "\(count) files")
    }
  }
}
