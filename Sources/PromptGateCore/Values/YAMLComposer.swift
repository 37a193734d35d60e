import CYaml
import Yams

/// Builds one ``YAMLDocument`` from libyaml's events, checking as it goes what Yams' composer
/// checks after the fact: duplicate keys (by their text, which is what a JSON object keys by),
/// the nesting depth and how far aliases expand the document. Each is refused at the node where
/// it happens.
///
/// Tags are kept as written (none for plain scalars, `str` for quoted ones), so no resolver
/// pattern runs while composing; ``YAMLLoader/tag(of:)`` resolves them by the core schema.
final class YAMLComposer {
  /// libyaml's parser, at a fixed address (it points into itself), and reached through a
  /// constant: as a stored `var` of this class, every event read would be checked for
  /// exclusivity at run time.
  private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
  private let text: String
  private let file: String
  /// The document's explicit tags.
  private var tags: [String] = []
  /// Anchored nodes by name: their position, and the number of nodes each expands to.
  private var anchors: [String: (position: Int32, size: Int)] = [:]
  /// Explicit tags already stored, by name.
  private var tagPositions: [String: Int32] = [:]
  /// Nodes the document expands to so far, aliases counted at their full size. Counted at every
  /// node, and only ever by this composer's one thread of work, so not checked at run time.
  @exclusivity(unchecked) private var expanded = 0
  private let limit: Int
  /// Whether this composes one part of a split text, which refuses anchors, aliases and
  /// explicit tags (the text is then composed in one pass) and notes its deepest node.
  private let isPart: Bool
  /// Where the other part of a split text was cut out of this part's text, if it is the first.
  let hole: YAMLSplit.Hole?
  /// The hole's character index; `Int.max` when this is no part, so no event is past it.
  private let holeIndex: Int
  /// What this part's events showed about the hole (``YAMLSplit``): each is set only by this
  /// composer's one thread of work.
  @exclusivity(unchecked) var crossedHole = false
  /// The zero-based line the stream ends on: for a part that ends with a line break, the lines
  /// it holds.
  @exclusivity(unchecked) var endLine = 0
  @exclusivity(unchecked) var spansHole = false
  @exclusivity(unchecked) var chainBroken = false
  /// The block collection whose keys or elements continue in the other part, and its depth.
  @exclusivity(unchecked) var splitCollection: (position: Int32, depth: Int)?
  /// The deepest node of a part.
  @exclusivity(unchecked) var deepest = 0

  /// The root of the single document in `text` (read from `file`); nil for an empty stream.
  /// A large text is composed in two parts on two cores when it can be cut where one mapping's
  /// keys begin (``YAMLSplit``), with the answer a single pass gives.
  static func compose(_ text: String, file: String) throws(Diagnostic) -> YAMLNode? {
    var contiguous = text
    contiguous.makeContiguousUTF8()
    let result: Result<YAMLNode?, Diagnostic> =
      contiguous.utf8.withContiguousStorageIfAvailable {
        bytes in
        if let split = YAMLSplit.compose(bytes, text: contiguous, file: file) {
          return .success(split)
        }
        let composer = YAMLComposer(text: contiguous, file: file)
        return Result { () throws(Diagnostic) in try composer.document(bytes) }
      } ?? .failure(Diagnostic(file: file, "cannot read YAML: the text is not contiguous"))
    return try result.get()
  }

  /// A composer of `text`, the contents of `file`; with a `hole`, of one part of a split text.
  init(text: String, file: String, part: Bool = false, hole: YAMLSplit.Hole? = nil) {
    self.text = text
    self.file = file
    self.limit = text.utf8.count + YAMLLoader.maximumAliasNodes
    self.isPart = part
    self.hole = hole
    self.holeIndex = hole?.index ?? Int.max
    parser.initialize(to: yaml_parser_t())
    yaml_parser_initialize(parser)
    yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
  }

  deinit {
    yaml_parser_delete(parser)
    parser.deinitialize(count: 1)
    parser.deallocate()
  }

  private func document(_ bytes: UnsafeBufferPointer<UInt8>) throws(Diagnostic) -> YAMLNode? {
    guard let (records, root) = try records(bytes, reserving: bytes.count / 3 + 8) else {
      return nil
    }
    return YAMLDocument(records: records, tags: tags).node(at: root)
  }

  /// The nodes of the single document in `bytes` and its root's position; nil for an empty
  /// stream. Room for `reserving` nodes is made up front.
  func records(_ bytes: UnsafeBufferPointer<UInt8>, reserving: Int) throws(Diagnostic)
    -> (records: [YAMLDocument.Record], root: Int32)?
  {
    yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
    var event = try next()  // stream start
    yaml_event_delete(&event)
    event = try next()
    guard event.type != YAML_STREAM_END_EVENT else {
      yaml_event_delete(&event)
      return nil
    }
    yaml_event_delete(&event)  // document start
    // The nodes are built in a local array passed down the recursion: as a property of this
    // class, every access to it would be checked for exclusivity at run time. A node takes at
    // least three bytes of text in all but contrived files (`a: b` is three nodes in four), so
    // a large file's records are never copied while they grow; pages reserved but not written
    // are never touched, so cost no memory.
    var built: [YAMLDocument.Record] = []
    built.reserveCapacity(reserving)
    let root = try node(from: try next(), depth: 1, into: &built).position
    event = try next()  // document end
    yaml_event_delete(&event)
    event = try next()
    defer { yaml_event_delete(&event) }
    endLine = event.start_mark.line
    guard event.type == YAML_STREAM_END_EVENT else {
      let mark = Self.mark(event.start_mark)
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column,
        "invalid YAML: found a second document; a file holds one",
        fix: "remove the `---` line and what follows it, or merge the two documents")
    }
    return (built, root)
  }

  /// Stores the node that `event` starts (taking ownership of the event) and its subtree;
  /// returns its position and the nodes it expands to.
  private func node(
    from event: consuming yaml_event_t, depth: Int, into records: inout [YAMLDocument.Record]
  ) throws(Diagnostic) -> (position: Int32, size: Int) {
    var event = event
    defer { yaml_event_delete(&event) }
    let mark = Self.mark(event.start_mark)
    if isPart { try notePart(event, depth: depth) }
    guard depth <= YAMLLoader.maximumDepth else {
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column,
        "YAML nests deeper than \(YAMLLoader.maximumDepth) levels", fix: "flatten the structure")
    }
    let position = Int32(records.count)
    var record = YAMLDocument.Record(
      value: "", end: position + 1, count: 0, line: Int32(clamping: mark.line),
      column: Int32(clamping: mark.column), tag: YAMLDocument.plainTag, kind: .scalar, style: 0)
    let size: Int
    let anchor: UnsafeMutablePointer<UInt8>?
    switch event.type {
    case YAML_ALIAS_EVENT:
      let name = Self.string(event.data.alias.anchor) ?? ""
      guard let target = anchors[name] else {
        throw Diagnostic(
          file: file, line: mark.line, column: mark.column,
          "invalid YAML: found undefined alias '\(name)'",
          fix: "define the anchor '&\(name)' before this alias")
      }
      try count(target.size, at: mark)
      record.kind = .alias
      record.count = target.position
      records.append(record)
      return (position, target.size)
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      record.value = String(
        decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
      if scalar.quoted_implicit == 1 {
        record.tag = YAMLDocument.quotedTag
      } else if let name = Self.string(scalar.tag) {
        record.tag = tagPosition(name)
      }
      record.style = numericCast(scalar.style.rawValue)
      try count(1, at: mark)
      records.append(record)
      size = 1
      anchor = scalar.anchor
    case YAML_SEQUENCE_START_EVENT:
      record.kind = .sequence
      try count(1, at: mark)
      records.append(record)
      var elements: Int32 = 0
      var total = 1
      while true {
        let inner = try next()
        if inner.type == YAML_SEQUENCE_END_EVENT {
          if crossedHole {
            noteEnd(
              of: .sequence, block: event.data.sequence_start.style == YAML_BLOCK_SEQUENCE_STYLE,
              column: record.column, position: position, depth: depth)
          }
          var end = inner
          yaml_event_delete(&end)
          break
        }
        total += try node(from: inner, depth: depth + 1, into: &records).size
        elements += 1
      }
      records[Int(position)].count = elements
      records[Int(position)].end = Int32(records.count)
      size = total
      anchor = event.data.sequence_start.anchor
    case YAML_MAPPING_START_EVENT:
      record.kind = .mapping
      try count(1, at: mark)
      records.append(record)
      // The keys so far are found in the records already built (each key's value ends where
      // the next key starts): compared in place while the mapping is small (most are), hashed
      // into a table of their own once it is not.
      var pairs: Int32 = 0
      var seen: [String: Int32]?
      var total = 1
      while true {
        let inner = try next()
        if inner.type == YAML_MAPPING_END_EVENT {
          if crossedHole {
            noteEnd(
              of: .mapping, block: event.data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE,
              column: record.column, position: position, depth: depth)
          }
          var end = inner
          yaml_event_delete(&end)
          break
        }
        let key = try node(from: inner, depth: depth + 1, into: &records)
        try checkDuplicate(
          key.position, of: position, after: pairs, seen: &seen, in: records)
        pairs += 1
        let value = try node(from: try next(), depth: depth + 1, into: &records)
        total += key.size + value.size
      }
      records[Int(position)].count = pairs
      records[Int(position)].end = Int32(records.count)
      size = total
      anchor = event.data.mapping_start.anchor
    default:
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column, "invalid YAML: unexpected event")
    }
    if let name = Self.string(anchor) { anchors[name] = (position, size) }
    return (position, size)
  }

  /// Refuses the key at `position` when one of the `earlier` keys of the mapping at `mapping`
  /// has the same text. The keys of a mapping past `smallMapping` pairs move into `seen`, keyed
  /// by their text.
  private func checkDuplicate(
    _ position: Int32, of mapping: Int32, after earlier: Int32, seen: inout [String: Int32]?,
    in records: [YAMLDocument.Record]
  ) throws(Diagnostic) {
    func scalarText(_ position: Int32) -> String? {
      let record = records[Int(YAMLDocument.resolved(position, in: records))]
      return record.kind == .scalar ? record.value : nil
    }
    /// The earlier keys' positions, in the order written: a value follows its key, and the
    /// next key follows the value's subtree.
    func forEachEarlierKey(_ body: (Int32) -> Bool) {
      var cursor = mapping + 1
      while cursor < position, body(cursor) {
        cursor = records[Int(records[Int(cursor)].end)].end
      }
    }
    guard let key = scalarText(position) else { return }
    var first: Int32?
    if seen == nil, earlier < Self.smallMapping {
      forEachEarlierKey { earlierKey in
        if scalarText(earlierKey) == key { first = earlierKey }
        return first == nil
      }
    } else {
      if seen == nil {
        var table = [String: Int32](minimumCapacity: Int(earlier) * 2)
        forEachEarlierKey { earlierKey in
          if let text = scalarText(earlierKey) { table[text] = table[text] ?? earlierKey }
          return true
        }
        seen = table
      }
      first = seen?.updateValue(position, forKey: key)
    }
    guard let first else { return }
    let at = Self.mark(of: position, in: records)
    let firstMark = Self.mark(of: first, in: records)
    throw Diagnostic(
      file: file, line: at.line, column: at.column,
      "duplicate key '\(key)': the first '\(key)' is at line \(firstMark.line), column "
        + "\(firstMark.column)",
      fix: "keep one of them; a later key would silently replace the earlier one")
  }

  /// Where the node at `position` starts (for an alias, its anchor's node).
  private static func mark(of position: Int32, in records: [YAMLDocument.Record]) -> Mark {
    let record = records[Int(YAMLDocument.resolved(position, in: records))]
    return Mark(line: Int(record.line), column: Int(record.column))
  }

  /// The position of the explicit tag `name` in the document's tags, stored once.
  private func tagPosition(_ name: String) -> Int32 {
    if let known = tagPositions[name] { return known }
    let position = Int32(tags.count)
    tags.append(name)
    tagPositions[name] = position
    return position
  }

  /// Pairs below which a mapping's keys are compared one by one rather than hashed.
  private static let smallMapping = 12

  /// Counts `size` more nodes, refusing a document that aliases expand past the limit.
  private func count(_ size: Int, at mark: Mark) throws(Diagnostic) {
    expanded += size
    guard expanded <= limit else {
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column,
        "YAML aliases expand this file to more than \(YAMLLoader.maximumAliasNodes) nodes "
          + "beyond its text",
        fix: "write the values out, or nest fewer aliases inside aliases")
    }
  }

  private func next() throws(Diagnostic) -> yaml_event_t {
    var event = yaml_event_t()
    guard yaml_parser_parse(parser, &event) == 1 else { throw problem() }
    if event.end_mark.index >= holeIndex { notePastHole(event) }
    return event
  }

  /// Notes the first event of a first part that starts at or past its hole, and an earlier
  /// event that ends past the spaces after it (it would continue in the other part).
  @inline(never)
  private func notePastHole(_ event: yaml_event_t) {
    guard !crossedHole, let hole else { return }
    if event.start_mark.index >= hole.index {
      crossedHole = true
    } else if event.end_mark.index > hole.index + hole.slack {
      spansHole = true
    }
  }

  /// Notes the end of a collection in a first part's events past the hole, which may only close
  /// block collections until the innermost of the hole's kind at its column, the collection the
  /// other part continues, is closed.
  @inline(never)
  private func noteEnd(
    of kind: YAMLDocument.Kind, block: Bool, column: Int32, position: Int32, depth: Int
  ) {
    guard splitCollection == nil, !chainBroken, let hole else { return }
    if !block {
      chainBroken = true
    } else if kind == hole.kind, column == hole.column {
      splitCollection = (position, depth)
    }
  }

  /// Refuses, in a part of a split text, what the parts cannot share (an anchor, an alias, an
  /// explicit tag); notes the part's deepest node, and a node that starts past the hole before
  /// the mapping whose keys continue in the other part ends.
  @inline(never)
  private func notePart(_ event: yaml_event_t, depth: Int) throws(Diagnostic) {
    deepest = max(deepest, depth)
    if crossedHole, splitCollection == nil { chainBroken = true }
    let shared: Bool =
      switch event.type {
      case YAML_ALIAS_EVENT: true
      case YAML_SCALAR_EVENT:
        event.data.scalar.anchor != nil || event.data.scalar.tag != nil
      case YAML_SEQUENCE_START_EVENT: event.data.sequence_start.anchor != nil
      case YAML_MAPPING_START_EVENT: event.data.mapping_start.anchor != nil
      default: false
      }
    if shared { throw Diagnostic(file: file, "an anchor, alias or tag: read in one pass") }
  }

  /// libyaml's error, worded as Yams words it, with the tab and line fixes of
  /// ``YAMLLoader/diagnostic(_:text:file:)``.
  private func problem() -> Diagnostic {
    let message = parser.pointee.problem.map { String(cString: $0) } ?? "unknown problem"
    let mark = Self.yamsMark(parser.pointee.problem_mark)
    let error: YamlError
    switch parser.pointee.error {
    case YAML_READER_ERROR:
      let index = text.utf8.index(
        text.utf8.startIndex, offsetBy: parser.pointee.problem_offset, limitedBy: text.utf8.endIndex
      )
      let offset = index?.samePosition(in: text).map {
        text.distance(from: text.startIndex, to: $0)
      }
      error = .reader(
        problem: message, offset: offset, value: parser.pointee.problem_value, yaml: text)
    case YAML_SCANNER_ERROR:
      error = .scanner(context: nil, problem: message, mark, yaml: text)
    case YAML_PARSER_ERROR:
      error = .parser(context: nil, problem: message, mark, yaml: text)
    case YAML_MEMORY_ERROR:
      return Diagnostic(file: file, "cannot read YAML: out of memory")
    default:
      error = .composer(context: nil, problem: message, mark, yaml: text)
    }
    return YAMLLoader.diagnostic(error, text: text, file: file)
  }

  /// Yams' `Mark` has public fields but no public initializer; this is its layout (two `Int`s
  /// in declaration order), which `unsafeBitCast` checks by size.
  private struct MarkFields {
    let line: Int
    let column: Int
  }

  /// libyaml's zero-based mark as a one-based one.
  private static func mark(_ mark: yaml_mark_t) -> Mark {
    Mark(line: mark.line + 1, column: mark.column + 1)
  }

  /// libyaml's zero-based mark as Yams' one-based `Mark`, for the errors worded as Yams words
  /// them.
  private static func yamsMark(_ mark: yaml_mark_t) -> Yams.Mark {
    unsafeBitCast(MarkFields(line: mark.line + 1, column: mark.column + 1), to: Yams.Mark.self)
  }

  private static func string(_ pointer: UnsafePointer<UInt8>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
    pointer.map { String(cString: $0) }
  }
}
