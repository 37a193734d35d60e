import Foundation

/// Composes a large YAML text in two parts on two cores, with the tree a single pass builds.
///
/// The text is cut at a line near its middle that starts a key of some block mapping, or an
/// element (`- `) of some block sequence (the least indented such line within the next lines),
/// up to the line where that collection ends. The cut-out lines are the second part, composed
/// as a document of their own; the rest, the text before and after them, is the first. The
/// second part's keys or elements are then appended to the collection of the first part that
/// they continue.
///
/// Each part's events prove the cut sound, or the text is composed in one pass after all: in
/// the first part, no event may span the cut, and the first events past it may only close
/// block collections, the innermost of the cut line's kind among them at its column (the
/// collection the second part continues); the second part must be one block collection of that
/// kind whose first key or element is the cut line's. Either part refuses an anchor, an alias
/// or an explicit tag, which may reach across the cut, and any problem at all (an error, a key
/// both parts hold, nesting past the limit once the parts are joined) is left to the single
/// pass, which words it as usual.
enum YAMLSplit {
  /// Where the second part was cut out of the first part's text.
  struct Hole {
    /// The character index (libyaml's count) in the first part's text.
    let index: Int
    /// The zero-based line the hole is at, which the second part's lines start from.
    let line: Int
    /// Spaces right after the hole, which a block scalar's end may take in.
    let slack: Int
    /// The one-based column of the keys or elements of the collection the second part
    /// continues.
    let column: Int32
    /// What that collection is: a mapping, or a sequence.
    let kind: YAMLDocument.Kind
  }

  /// Texts smaller than this are composed in one pass: a part would take under 10 ms.
  static let minimumBytes = 1 << 19

  /// The root of the document in `bytes` (the UTF-8 of `text`, read from `file`), composed in
  /// two parts; nil when the text is small, cannot be cut, or either part shows the cut unsound.
  static func compose(_ bytes: UnsafeBufferPointer<UInt8>, text: String, file: String)
    -> YAMLNode??
  {
    guard bytes.count >= minimumBytes, ProcessInfo.processInfo.activeProcessorCount > 1,
      let cut = cut(bytes)
    else { return nil }
    return compose(bytes, cut: cut, text: text, file: file)
  }

  /// The root of the document in `bytes`, composed in the two parts `cut` makes; nil when
  /// either part shows the cut unsound.
  static func compose(
    _ bytes: UnsafeBufferPointer<UInt8>, cut: Cut, text: String, file: String
  ) -> YAMLNode?? {
    let parts = Parts.run(2) { part -> Part? in
      part == 0
        ? first(of: bytes, cut: cut, text: text, file: file)
        : second(of: bytes, cut: cut, text: text, file: file)
    }
    guard let first = parts[0], let second = parts[1],
      let records = join(first, second, cut: cut)
    else { return nil }
    return .some(YAMLDocument(records: records, tags: []).node(at: first.root))
  }

  /// The characters and the line breaks of `bytes` as libyaml counts them (a character per
  /// UTF-8 sequence, a break per LF or CRLF); nil when it holds a break libyaml also counts but
  /// this does not (a lone CR, NEL, LS or PS), which leaves the text to the single pass.
  /// Eight bytes of ASCII without a CR are counted at a time, their line feeds by a bit each.
  static func count(_ bytes: UnsafeBufferPointer<UInt8>) -> (characters: Int, lines: Int)? {
    guard let base = bytes.baseAddress else { return (0, 0) }
    var characters = 0
    var lines = 0
    var odd = false
    func byte(at index: Int) {
      let byte = base[index]
      if byte < 0x80 {
        characters += 1
        if byte == 0x0A {
          lines += 1
        } else if byte == 0x0D {
          odd = odd || index + 1 == bytes.count || base[index + 1] != 0x0A
        }
      } else if byte & 0xC0 != 0x80 {
        characters += 1
      } else if byte == 0x85 || byte == 0xA8 || byte == 0xA9 {
        // NEL is C2 85; LS and PS are E2 80 A8 and E2 80 A9.
        odd =
          odd || (byte == 0x85 && index > 0 && base[index - 1] == 0xC2)
          || (byte != 0x85 && index > 1 && base[index - 1] == 0x80 && base[index - 2] == 0xE2)
      }
    }
    /// A high bit in each byte of `word` that is zero, and none elsewhere.
    func zeroBytes(_ word: UInt64) -> UInt64 {
      let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
      return ~(((word & low) &+ low) | word | low)
    }
    let raw = UnsafeRawPointer(base)
    var index = 0
    while index + 8 <= bytes.count {
      let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      if word & 0x8080_8080_8080_8080 == 0, zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D) == 0 {
        characters += 8
        lines += zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A).nonzeroBitCount
      } else {
        for at in index..<index + 8 { byte(at: at) }
      }
      index += 8
    }
    for at in index..<bytes.count { byte(at: at) }
    return odd ? nil : (characters, lines)
  }

  /// A composed part: its nodes (taken by the join, so never copied), its root, and what its
  /// composer noted.
  final class Part {
    var records: [YAMLDocument.Record]
    let root: Int32
    let composer: YAMLComposer

    init(records: [YAMLDocument.Record], root: Int32, composer: YAMLComposer) {
      self.records = records
      self.root = root
      self.composer = composer
    }
  }

  /// The text around the cut, composed with the hole noted.
  private static func first(
    of bytes: UnsafeBufferPointer<UInt8>, cut: Cut, text: String, file: String
  ) -> Part? {
    guard let (characters, lines) = count(UnsafeBufferPointer(rebasing: bytes[..<cut.start]))
    else { return nil }
    let slack = bytes[cut.end...].prefix { $0 == UInt8(ascii: " ") }.count
    let composer = YAMLComposer(
      text: text, file: file, part: true,
      hole: YAMLSplit.Hole(
        index: characters, line: lines, slack: slack, column: Int32(cut.indent + 1),
        kind: cut.kind))
    let reserve = bytes.count / 3 + 8
    let composed: (records: [YAMLDocument.Record], root: Int32)??
    if cut.end == bytes.count {
      composed = try? composer.records(
        UnsafeBufferPointer(rebasing: bytes[..<cut.start]), reserving: reserve)
    } else {
      let joined = Array(bytes[..<cut.start]) + bytes[cut.end...]
      composed = joined.withUnsafeBufferPointer { try? composer.records($0, reserving: reserve) }
    }
    guard case .some(.some(let found)) = composed else { return nil }
    return Part(records: found.records, root: found.root, composer: composer)
  }

  /// The cut-out lines, composed as a document of their own.
  private static func second(
    of bytes: UnsafeBufferPointer<UInt8>, cut: Cut, text: String, file: String
  ) -> Part? {
    let composer = YAMLComposer(text: text, file: file, part: true)
    let lines = UnsafeBufferPointer(rebasing: bytes[cut.start..<cut.end])
    guard
      case .some(.some(let found)) = try? composer.records(lines, reserving: lines.count / 3 + 8)
    else { return nil }
    return Part(records: found.records, root: found.root, composer: composer)
  }

  /// The first part's nodes with the second's root keys appended to the mapping they continue,
  /// every position, end and line moved to where a single pass puts it; nil when the parts do
  /// not prove the cut sound.
  private static func join(_ first: Part, _ second: Part, cut: Cut) -> [YAMLDocument.Record]? {
    let noted = first.composer
    guard noted.crossedHole, !noted.spansHole, !noted.chainBroken,
      let (collection, depth) = noted.splitCollection,
      let root = second.records.first, second.root == 0, root.kind == cut.kind, root.line == 1,
      root.column == cut.indent + 1,
      second.composer.deepest + depth - 1 <= YAMLLoader.maximumDepth
    else { return nil }
    var records: [YAMLDocument.Record] = []
    swap(&records, &first.records)
    let end = Int(records[Int(collection)].end)
    guard cut.kind == .sequence || !sharesKey(records, mapping: collection, with: second.records)
    else { return nil }
    let added = Int32(second.records.count - 1)
    for position in 0...Int(collection) where records[position].end >= end {
      records[position].end += added
    }
    records[Int(collection)].count += root.count
    let secondLines = Int32(clamping: second.composer.endLine)
    for position in end..<records.count {
      records[position].end += added
      records[position].line += secondLines
    }
    let offset = Int32(end - 1)
    let lineOffset = Int32(clamping: noted.hole?.line ?? 0)
    records.replaceSubrange(
      end..<end,
      with: second.records[1...].lazy.map { record in
        var record = record
        record.end += offset
        record.line += lineOffset
        return record
      })
    return records
  }

  /// Whether a scalar key of the second part's root is also a key of the first part's
  /// `mapping`, which the single pass then refuses, naming both.
  private static func sharesKey(
    _ records: [YAMLDocument.Record], mapping: Int32, with second: [YAMLDocument.Record]
  ) -> Bool {
    func keys(_ records: [YAMLDocument.Record], of mapping: Int) -> [String] {
      var found: [String] = []
      found.reserveCapacity(Int(records[mapping].count))
      var cursor = mapping + 1
      while cursor < Int(records[mapping].end) {
        if records[cursor].kind == .scalar { found.append(records[cursor].value) }
        cursor = Int(records[Int(records[cursor].end)].end)
      }
      return found
    }
    let firstKeys = keys(records, of: Int(mapping))
    let secondKeys = keys(second, of: 0)
    let (smaller, larger) =
      firstKeys.count < secondKeys.count ? (firstKeys, secondKeys) : (secondKeys, firstKeys)
    let table = Set(smaller)
    return larger.contains { table.contains($0) }
  }

  /// Where a text is cut: the second part's first and past-last byte, the indentation of its
  /// first line, and what that line continues: a mapping (it starts a key) or a sequence (it
  /// starts an element, `- `).
  struct Cut {
    let start: Int
    let end: Int
    let indent: Int
    let kind: YAMLDocument.Kind
  }

  /// The lines looked at, from the middle on, for the least indented key or element.
  private static let candidateLines = 256

  /// The cut of `bytes`, or nil when no line near the middle starts a plain key or an element,
  /// a line that ends the cut begins with a tab, or the parts would be far from even. Of the
  /// lines looked at, the least indented wins, a key over an element at one indentation (an
  /// element there is of a sequence written under a key, which the next key ends).
  static func cut(_ bytes: UnsafeBufferPointer<UInt8>) -> Cut? {
    guard let base = bytes.baseAddress else { return nil }
    let count = bytes.count
    let space = UInt8(ascii: " ")
    /// The start of the line after the one holding `index`.
    func nextLine(after index: Int) -> Int? {
      guard index < count, let found = memchr(base + index, 0x0A, count - index) else {
        return nil
      }
      return base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
    }
    func indentation(at line: Int) -> Int {
      var index = line
      while index < count, base[index] == space { index += 1 }
      return index - line
    }
    /// What the line whose text starts at `index` begins, if it is a cut's first line.
    func begins(at index: Int) -> YAMLDocument.Kind? {
      guard index < count else { return nil }
      if startsPlainKey(base[index]) { return .mapping }
      guard base[index] == UInt8(ascii: "-"), index + 1 < count,
        base[index + 1] == space || base[index + 1] == 0x0A
      else { return nil }
      return .sequence
    }
    var best: (start: Int, indent: Int, kind: YAMLDocument.Kind)?
    var line = nextLine(after: count / 2)
    for _ in 0..<candidateLines {
      guard let start = line, start < count else { break }
      let indent = indentation(at: start)
      if let kind = begins(at: start + indent),
        (indent, kind == .mapping ? 0 : 1) < (
          best?.indent ?? Int.max, best?.kind == .mapping ? 0 : 1
        )
      {
        best = (start, indent, kind)
        if indent == 0, kind == .mapping { break }
      }
      line = nextLine(after: start + indent)
    }
    guard let best else { return nil }
    // A mapping's lines end at the first line indented less; a sequence's also at a line as
    // indented that starts no element (the next key of a mapping it was written under).
    var end = count
    if best.indent > 0 || best.kind == .sequence {
      line = nextLine(after: best.start)
      while let start = line, start < count {
        let indent = indentation(at: start)
        let first = start + indent < count ? base[start + indent] : 0x0A
        let ends =
          indent < best.indent
          || (best.kind == .sequence && indent == best.indent
            && begins(at: start + indent) != .sequence)
        if ends, first != 0x0A, first != 0x0D, first != UInt8(ascii: "#") {
          guard first != UInt8(ascii: "\t") else { return nil }
          end = start
          break
        }
        line = nextLine(after: start + indent)
      }
    }
    let cutOut = end - best.start
    guard cutOut >= count / 5, count - cutOut >= count / 5 else { return nil }
    return Cut(start: best.start, end: end, indent: best.indent, kind: best.kind)
  }

  /// Whether `byte` can start a plain key the cut may begin with: a letter, a digit, `_`, `/`
  /// or `$` (never an indicator, a quote, a comment or a document marker).
  private static func startsPlainKey(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "/"),
      UInt8(ascii: "$"):
      true
    default: false
    }
  }
}
