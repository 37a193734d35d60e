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
      var memo = FileSetMemo(
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

  @Test("a digest hashed on from a kept state after edits equals one hashed whole")
  func checkpointsMatchWholeHash() throws {
    func file(_ number: Int, _ text: String = "") -> ResolvedFile {
      let name = "p" + String(format: "%04d", number) + ".md"
      return ResolvedFile(
        path: "prompts/" + name, relativePath: name, mode: "100644",
        digest: Digest.sha256(name + text))
    }
    func fresh(_ memo: FileSetMemo) -> String {
      var whole = FileSetMemo(roots: [:], candidates: [:], entries: memo.entries, relativeOf: [:])
      return whole.digest()
    }
    var memo = FileSetMemo(
      roots: [:], candidates: [:],
      entries: try (0..<100).map {
        let f = file(2 * $0)
        return (f, try FileSetMemo.fragment(f))
      },
      relativeOf: [:])
    _ = memo.digest()
    // Edits before, at and after stride boundaries, an insertion, a removal, the last entry.
    for index in [0, 31, 32, 33, 64, 99, 50] {
      let edited = file(2 * index, "edited")
      memo.entries[index] = (edited, try FileSetMemo.fragment(edited))
      memo.changed(from: index)
      #expect(memo.digest() == fresh(memo), "edit at \(index)")
    }
    let inserted = file(63)
    memo.entries.insert((inserted, try FileSetMemo.fragment(inserted)), at: 32)
    memo.changed(from: 32)
    #expect(memo.digest() == fresh(memo), "insertion")
    memo.entries.remove(at: 96)
    memo.changed(from: 96)
    #expect(memo.digest() == fresh(memo), "removal")
    let appended = file(1000)
    memo.entries.append((appended, try FileSetMemo.fragment(appended)))
    memo.changed(from: memo.entries.count - 1)
    #expect(memo.digest() == fresh(memo), "append")
    #expect(memo.digest() == fresh(memo), "unchanged")
  }
}
