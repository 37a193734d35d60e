import Testing

@testable import PromptGateCore

/// A text composed in two parts on two cores must give the nodes, positions, lines and columns
/// a single pass gives, or be left to the single pass: checked here for every cut, at every
/// line, of texts that hold what could make a cut unsound.
@Suite("YAML composed in two parts")
struct YAMLSplitTests {
  static let samples: [String] = [
    // Nested block mappings, an indentless sequence, comments at every indentation, empty
    // values, multi-byte text (libyaml counts characters, not bytes), a flow mapping.
    """
    behaviors:
      support:
        prompt: [prompts/a.md]   # trailing comment
        model: {value: gpt-4o}
      # a comment at the keys' indentation
      écoute:
        prompt:
        - prompts/é.md
        - prompts/ü.md
    # a comment at column 1
      billing:
        model: {value: m, note: "ünïcode"}
        empty:
      refunds:
        decoding: {temperature: 0.2}
    evalSets:
      smoke:
        tier: fast
        cases: evals/smoke.yaml

    """,
    // Block scalars (literal, folded, kept, stripped) ending at a key, and one indented more
    // than its key needs.
    """
    a:
      one: |
        line one
          indented
        line: looks like a key

      two: >-
        folded
        text
      three: |+
        kept


      four: |2
          two spaces kept
    b:
      five: plain
    c: |
      x: y
      z: w

    """,
    // Multi-line plain and quoted scalars, a quoted scalar whose lines are indented less than
    // its key, a flow collection spanning lines, a key with a colon in its value.
    """
    top:
      plain: this plain
        scalar goes on
      quoted: "a quoted
    scalar: at column one
      key: still quoted"
      single: 'it''s
      two: lines'
      flow: [a, b,
      c: d, e]
      map: {x: 1,
      y: 2}
      url: http://example.com/a:b
    other:
      k: v

    """,
    // Root-level keys only, a sequence at the root's indentation, keys repeated across the
    // text (a cut between them must be left to the single pass, which refuses them).
    """
    k1: v1
    k2: v2
    list:
    - a
    - b: c
      d: e
    k3: v3
    k1: again
    k4: v4

    """,
    // Sequences: of mappings at the root, written under a key at its indentation, nested,
    // with block scalars and flow collections in their elements.
    """
    - id: c1
      vars: {topic: a}
      assert:
      - type: icontains
        value: x
    - id: c2
      vars:
        topic: |
          multi
          line
    -
      id: c3
    - - nested
      - more
    - [flow,
    across, lines]
    - id: c4

    """,
    """
    cases:
    - a
    - b: 1
      c: 2
    - d
    after: key
    more:
      - e
      - f

    """,
    // Anchors, aliases, merge keys and tags, which a part refuses.
    """
    defaults: &d
      model: m
    agents:
      a1:
        <<: *d
        n: 1
      a2:
        <<: *d
        n: !!str 2
      a3:
        n: 3

    """,
    // Line breaks as CRLF, and a last line without one.
    "a:\r\n  b: 1\r\n  c: 2\r\n  d:\r\n    e: 3\r\nf: 4\r\ng: 5",
    // A document start and end marker, and a second document.
    "---\nx:\n  y: 1\n  z: 2\n...\n",
    "x:\n  y: 1\n---\nz: 2\n",
    // Line breaks libyaml counts that a cut declines: a lone CR, NEL, LS.
    "a:\n  b: 1\r  c: 2\n  d: 3\n  e: \u{85}x\n  f: 4\n  g: \u{2028}y\n  h: 5\n",
    // Tabs, which YAML refuses as indentation.
    "a:\n  b: 1\n\tc: 2\n  d: 3\n",
  ]

  /// Whether some cut of each sample is sound: not of those the single pass refuses (a key
  /// repeated, a second document, a tab), those with an anchor, or those whose prefix holds a
  /// break this does not count.
  static let someCutJoins = [
    true, true, true, false, true, true, false, true, true, false, false, false,
  ]

  @Test("every cut of every sample gives the single pass's nodes, or is declined")
  func everyCut() {
    var joinedBySample: [Bool] = []
    for sample in Self.samples {
      var joined = 0
      defer { joinedBySample.append(joined > 0) }
      var text = sample
      text.makeContiguousUTF8()
      let bytes = Array(text.utf8)
      let starts = bytes.indices.filter { $0 > 0 && bytes[$0 - 1] == 0x0A }
      let single = Result { () throws(Diagnostic) in try composedRecords(bytes, text: text) }
      for start in starts {
        let indent = bytes[start...].prefix { $0 == UInt8(ascii: " ") }.count
        for end in starts.filter({ $0 > start }) + [bytes.count] {
          for kind in [YAMLDocument.Kind.mapping, .sequence] {
            let cut = YAMLSplit.Cut(start: start, end: end, indent: indent, kind: kind)
            let split = bytes.withUnsafeBufferPointer {
              YAMLSplit.compose($0, cut: cut, text: text, file: "x.yaml")
            }
            guard let split else { continue }
            joined += 1
            guard case .success(let expected) = single else {
              Issue.record("a text the single pass refuses was composed in parts, cut at \(cut)")
              continue
            }
            let found = split.map { records(of: $0) }
            #expect(found?.records.count == expected?.records.count, "cut at \(cut)")
            if let found, let expected, found.records.count == expected.records.count {
              #expect(found.root == expected.root)
              let differing = found.records.indices.first {
                !same(found.records[$0], expected.records[$0])
              }
              #expect(differing == nil, "cut at \(cut) of \(sample.debugDescription)")
            }
          }
        }
      }
    }
    // Sound cuts exist in the samples: a check that declined them all would be no check.
    #expect(joinedBySample == Self.someCutJoins)
  }

  @Test("characters and line breaks are counted as libyaml counts them, eight bytes at a time")
  func counting() {
    let pieces = ["a", "key: ", "\n", "\r\n", "é", "€", "𝄞", " ", "\r", "\u{85}", "\u{2028}"]
    var generator = SystemRandomNumberGenerator()
    for length in 0..<200 {
      let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
      let scalars = text.unicodeScalars
      let odd = scalars.indices.contains { index in
        let scalar = scalars[index]
        guard scalar == "\r" else { return scalar == "\u{85}" || scalar == "\u{2028}" }
        let next = scalars.index(after: index)
        return next == scalars.endIndex || scalars[next] != "\n"
      }
      let counted = Array(text.utf8).withUnsafeBufferPointer { YAMLSplit.count($0) }
      if odd {
        #expect(counted == nil, "\(text.debugDescription)")
      } else {
        #expect(counted?.characters == scalars.count, "\(text.debugDescription)")
        #expect(counted?.lines == scalars.filter { $0 == "\n" }.count, "\(text.debugDescription)")
      }
    }
  }

  @Test("a large file is cut near its middle and gives the single pass's nodes")
  func largeFile() throws {
    var text =
      "behaviors:\n"
      + (0..<12_000).map {
        "  b\($0):\n    prompt: [prompts/a.md]\n    model: {value: m\($0 % 7)}\n"
      }
      .joined()
      + "evalSets:\n  smoke:\n    cases: evals/smoke.yaml\n"
    text.makeContiguousUTF8()
    let bytes = Array(text.utf8)
    #expect(bytes.count >= YAMLSplit.minimumBytes)
    let cut = try #require(bytes.withUnsafeBufferPointer { YAMLSplit.cut($0) })
    #expect(cut.indent == 2)
    #expect(
      cut.end == bytes.count - "evalSets:\n  smoke:\n    cases: evals/smoke.yaml\n".utf8.count)
    let split = bytes.withUnsafeBufferPointer {
      YAMLSplit.compose($0, text: text, file: "x.yaml")
    }
    let composed = try #require(split)
    let found = try #require(composed.map { records(of: $0) })
    let expected = try #require(try composedRecords(bytes, text: text))
    #expect(found.records.count == expected.records.count)
    #expect(zip(found.records, expected.records).allSatisfy { same($0, $1) })
  }

  @Test("a large list of cases, at the root or under a key, is cut between two of its elements")
  func largeList() throws {
    let rows = (0..<14_000).map {
      "- id: c\($0)\n  vars: {topic: t\($0 % 13)}\n  assert:\n  - {type: icontains, value: v}\n"
    }.joined()
    for var text in [rows, "tests:\n" + rows + "defaults:\n  x: 1\n"] {
      text.makeContiguousUTF8()
      let bytes = Array(text.utf8)
      #expect(bytes.count >= YAMLSplit.minimumBytes)
      let cut = try #require(bytes.withUnsafeBufferPointer { YAMLSplit.cut($0) })
      #expect(cut.kind == .sequence && cut.indent == 0)
      let split = bytes.withUnsafeBufferPointer {
        YAMLSplit.compose($0, text: text, file: "cases.yaml")
      }
      let composed = try #require(split)
      let found = try #require(composed.map { records(of: $0) })
      let expected = try #require(try composedRecords(bytes, text: text))
      #expect(found.records.count == expected.records.count)
      #expect(zip(found.records, expected.records).allSatisfy { same($0, $1) })
    }
  }

  @Test("a large file with an anchor, or a key on both sides of the cut, is read in one pass")
  func declined() throws {
    let rows = (0..<30_000).map { "k\($0): value \($0)\n" }.joined()
    for text in ["base: &b {x: 1}\n" + rows + "last: *b\n", rows + "k20000: again\n"] {
      let bytes = Array(text.utf8)
      #expect(bytes.count >= YAMLSplit.minimumBytes)
      #expect(bytes.withUnsafeBufferPointer { YAMLSplit.cut($0) } != nil)
      let split = bytes.withUnsafeBufferPointer {
        YAMLSplit.compose($0, text: text, file: "x.yaml")
      }
      #expect(split == nil)
    }
    guard
      case .object(let members) = try YAMLLoader.load(
        "base: &b {x: 1}\n" + rows + "last: *b\n", file: "x.yaml")
    else {
      Issue.record("a mapping")
      return
    }
    #expect(members["last"] == .object(["x": .number(1)]))
    #expect {
      _ = try YAMLLoader.load(rows + "k20000: again\n", file: "x.yaml")
    } throws: { error in
      (error as? Diagnostic)?.message.contains("the first 'k20000' is at line 20001") == true
    }
  }

  @Test("nesting past the limit once the parts are joined is left to the single pass")
  func depthAcrossTheCut() {
    // 520 nested mappings: each part alone nests less deeply than 512 levels.
    let levels = 520
    let text = (0..<levels).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined()
    let bytes = Array(text.utf8)
    let starts = bytes.indices.filter { $0 > 0 && bytes[$0 - 1] == 0x0A }
    for start in [starts[100], starts[300], starts[400]] {
      let indent = bytes[start...].prefix { $0 == UInt8(ascii: " ") }.count
      let cut = YAMLSplit.Cut(start: start, end: bytes.count, indent: indent, kind: .mapping)
      let split = bytes.withUnsafeBufferPointer {
        YAMLSplit.compose($0, cut: cut, text: text, file: "x.yaml")
      }
      #expect(split == nil)
    }
    #expect(throws: Diagnostic.self) { _ = try YAMLLoader.compose(text, file: "x.yaml") }
  }

  private func composedRecords(_ bytes: [UInt8], text: String) throws(Diagnostic)
    -> (records: [YAMLDocument.Record], root: Int32)?
  {
    let composer = YAMLComposer(text: text, file: "x.yaml")
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(Diagnostic) in try composer.records(buffer, reserving: 16) }
    }
    return try result.get()
  }

  private func records(of node: YAMLNode) -> (records: [YAMLDocument.Record], root: Int32) {
    switch node {
    case .scalar(let scalar): (scalar.document.records, scalar.position)
    case .sequence(let sequence): (sequence.document.records, sequence.position)
    case .mapping(let mapping): (mapping.document.records, mapping.position)
    }
  }

  private func same(_ one: YAMLDocument.Record, _ other: YAMLDocument.Record) -> Bool {
    one.value == other.value && one.end == other.end && one.count == other.count
      && one.line == other.line && one.column == other.column && one.tag == other.tag
      && one.kind == other.kind && one.style == other.style
  }
}
