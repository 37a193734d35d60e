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
    func whole(_ memo: FileSetMemo) throws -> String {
      try Digest.canonical(
        .array(
          memo.entries.map {
            .object([
              "path": .string($0.file.relativePath), "mode": .string($0.file.mode),
              "digest": .string($0.file.digest),
            ])
          }))
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
      memo.remove(at: index)
      memo.insert(edited, fragment: try FileSetMemo.fragment(edited), at: index)
      #expect(memo.digest() == (try whole(memo)), "edit at \(index)")
    }
    let inserted = file(63)
    memo.insert(inserted, fragment: try FileSetMemo.fragment(inserted), at: 32)
    #expect(memo.digest() == (try whole(memo)), "insertion")
    memo.remove(at: 96)
    #expect(memo.digest() == (try whole(memo)), "removal")
    let appended = file(1000)
    memo.insert(appended, fragment: try FileSetMemo.fragment(appended), at: memo.count)
    #expect(memo.digest() == (try whole(memo)), "append")
    #expect(memo.digest() == (try whole(memo)), "unchanged")
    // Down to a multiple of the stride, to one entry, and to none.
    while memo.count > 64 { memo.remove(at: memo.count - 1) }
    #expect(memo.digest() == (try whole(memo)), "64 entries")
    while memo.count > 1 { memo.remove(at: 0) }
    #expect(memo.digest() == (try whole(memo)), "one entry")
    memo.remove(at: 0)
    #expect(memo.digest() == (try whole(memo)), "no entry")
  }

  @Test("random insertions and removals keep the digest equal to the whole array's")
  func randomEdits() throws {
    var seed: UInt64 = 0x00F1_1E5E
    func next(_ bound: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(seed >> 33) % bound
    }
    var memo = FileSetMemo(roots: [:], candidates: [:], entries: [], relativeOf: [:])
    for step in 0..<600 {
      let name = "f" + String(format: "%05d", next(400)) + ".md"
      let (index, found) = memo.position(of: name)
      if found {
        memo.remove(at: index)
      } else {
        let file = ResolvedFile(
          path: name, relativePath: name, mode: "100644", digest: Digest.sha256("\(step)"))
        memo.insert(file, fragment: try FileSetMemo.fragment(file), at: index)
      }
      // Not after every edit: a walk often edits several entries between digests.
      guard next(3) == 0 else { continue }
      let list = JSONValue.array(
        memo.entries.map {
          .object([
            "path": .string($0.file.relativePath), "mode": .string($0.file.mode),
            "digest": .string($0.file.digest),
          ])
        })
      #expect(memo.digest() == (try Digest.canonical(list)), "step \(step)")
    }
  }

  @Test("a fragment written directly is the canonical serialiser's, escaped or not")
  func fragmentsMatchSerialiser() throws {
    for name in ["a.md", "deep/er/x.md", "quote\".md", "back\\slash.md", "\u{01}c.md", "ü/🙂.md"] {
      let file = ResolvedFile(
        path: "p/" + name, relativePath: name, mode: "100755", digest: Digest.sha256(name))
      let serialised = try CanonicalJSON.serialize(
        .object([
          "path": .string(name), "mode": .string("100755"), "digest": .string(file.digest),
        ]))
      #expect(try FileSetMemo.fragment(file) == Array(serialised.utf8), "\(name)")
    }
  }

  @Test("replacing entries in place, of the same length or not, keeps the digest the whole array's")
  func replacementsInPlace() throws {
    func file(_ number: Int, _ digest: String) -> ResolvedFile {
      let name = "p" + String(format: "%04d", number) + ".md"
      return ResolvedFile(path: name, relativePath: name, mode: "100644", digest: digest)
    }
    var memo = FileSetMemo(
      roots: [:], candidates: [:],
      entries: try (0..<80).map {
        let f = file($0, Digest.sha256("\($0)"))
        return (f, try FileSetMemo.fragment(f))
      },
      relativeOf: [:])
    _ = memo.digest()
    // Same-length digests at stride boundaries and the ends, then a longer and a shorter one.
    for (step, index) in [0, 31, 32, 79, 40, 5].enumerated() {
      let digest = step < 4 ? Digest.sha256("edit \(step)") : (step == 4 ? "longer-\(step)" : "s")
      let edited = file(index, digest)
      memo.replace(at: index, with: edited, fragment: try FileSetMemo.fragment(edited))
      let list = JSONValue.array(
        memo.entries.map {
          .object([
            "path": .string($0.file.relativePath), "mode": .string($0.file.mode),
            "digest": .string($0.file.digest),
          ])
        })
      #expect(memo.digest() == (try Digest.canonical(list)), "edit \(step) at \(index)")
      #expect(memo.entries[index].file.digest == digest)
    }
  }
}
