import CYaml
import Yams

/// Builds the node tree of one YAML document from libyaml's events, checking as it goes what
/// Yams' composer checks after the fact: duplicate keys (by their text, which is what a JSON
/// object keys by, in one set per mapping rather than by hashing whole nodes), the nesting depth
/// and how far aliases expand the document. Each is refused at the node where it happens.
///
/// Tags are kept as written (`?` for plain scalars, `str` for quoted ones), so no resolver
/// pattern runs while composing; ``YAMLLoader/tag(of:)`` resolves them by the core schema.
final class YAMLComposer {
  private var parser = yaml_parser_t()
  private let text: String
  private let file: String
  /// Anchored nodes by name, with the number of nodes each expands to.
  private var anchors: [String: (node: Node, size: Int)] = [:]
  /// Nodes the document expands to so far, aliases counted at their full size.
  private var expanded = 0
  private let limit: Int
  /// Nodes are never constructed into Swift values through their tags (``YAMLLoader`` reads
  /// them itself), so the tags carry an empty constructor: `Constructor.default` builds its
  /// tables anew on each read, and instantiating their types costs a hook several milliseconds.
  private let constructor = Constructor([:], [:], [:])
  /// One tag instance per written name, shared by the nodes that carry it (a node's tag was
  /// an allocation of its own, a tenth of a large mapping's time). Yams changes a tag in place
  /// only when it is implicit or non-specific and its node's `resolvedTag` is read; those
  /// names are never shared, and plain scalars carry ``YAMLLoader/plain`` instead.
  private var tags: [Tag.Name: Tag] = [:]
  /// The tags of collections written without one (the common case), looked up once.
  private lazy var sequenceTag = tag(Tag.Name.seq)
  private lazy var mappingTag = tag(Tag.Name.map)
  /// The tags of scalars written without one: quoted, and plain.
  private lazy var stringTag = tag(Tag.Name.str)
  private lazy var plainTag = tag(YAMLLoader.plain)

  /// The root of the single document in `text` (read from `file`); nil for an empty stream.
  static func compose(_ text: String, file: String) throws(Diagnostic) -> Node? {
    var contiguous = text
    contiguous.makeContiguousUTF8()
    let result: Result<Node?, Diagnostic> =
      contiguous.utf8.withContiguousStorageIfAvailable {
        bytes in
        let composer = YAMLComposer(text: contiguous, file: file)
        return Result { () throws(Diagnostic) in try composer.document(bytes) }
      } ?? .failure(Diagnostic(file: file, "cannot read YAML: the text is not contiguous"))
    return try result.get()
  }

  private init(text: String, file: String) {
    self.text = text
    self.file = file
    self.limit = text.utf8.count + YAMLLoader.maximumAliasNodes
    yaml_parser_initialize(&parser)
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
  }

  deinit { yaml_parser_delete(&parser) }

  private func document(_ bytes: UnsafeBufferPointer<UInt8>) throws(Diagnostic) -> Node? {
    yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    var event = try next()  // stream start
    yaml_event_delete(&event)
    event = try next()
    guard event.type != YAML_STREAM_END_EVENT else {
      yaml_event_delete(&event)
      return nil
    }
    yaml_event_delete(&event)  // document start
    let root = try node(from: try next(), depth: 1).node
    event = try next()  // document end
    yaml_event_delete(&event)
    event = try next()
    defer { yaml_event_delete(&event) }
    guard event.type == YAML_STREAM_END_EVENT else {
      let mark = Self.mark(event.start_mark)
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column,
        "invalid YAML: found a second document; a file holds one",
        fix: "remove the `---` line and what follows it, or merge the two documents")
    }
    return root
  }

  /// The node that `event` starts (taking ownership of the event), and the nodes it expands to.
  private func node(from event: consuming yaml_event_t, depth: Int) throws(Diagnostic)
    -> (node: Node, size: Int)
  {
    var event = event
    defer { yaml_event_delete(&event) }
    let mark = Self.mark(event.start_mark)
    guard depth <= YAMLLoader.maximumDepth else {
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column,
        "YAML nests deeper than \(YAMLLoader.maximumDepth) levels", fix: "flatten the structure")
    }
    let result: (node: Node, size: Int)
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
      return target
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      let value = String(
        decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
      let written: Tag =
        scalar.quoted_implicit == 1 ? stringTag : Self.string(scalar.tag).map(tag) ?? plainTag
      let style = Node.Scalar.Style(rawValue: numericCast(scalar.style.rawValue)) ?? .any
      try count(1, at: mark)
      result = (.scalar(.init(value, written, style, mark)), 1)
      anchor = scalar.anchor
    case YAML_SEQUENCE_START_EVENT:
      let start = event.data.sequence_start
      var elements: [Node] = []
      var size = 1
      try count(1, at: mark)
      while true {
        let inner = try next()
        if inner.type == YAML_SEQUENCE_END_EVENT {
          var end = inner
          yaml_event_delete(&end)
          break
        }
        let element = try node(from: inner, depth: depth + 1)
        elements.append(element.node)
        size += element.size
      }
      let written = start.implicit != 0 ? nil : Self.string(start.tag)
      let style = Node.Sequence.Style(rawValue: numericCast(start.style.rawValue)) ?? .any
      result = (.sequence(.init(elements, written.map(tag) ?? sequenceTag, style, mark)), size)
      anchor = start.anchor
    case YAML_MAPPING_START_EVENT:
      let start = event.data.mapping_start
      var pairs: [(Node, Node)] = []
      // Keys seen so far: compared in place while the mapping is small (most are), hashed
      // into a set of their own once it is not.
      var seen: [String: Yams.Mark]?
      var size = 1
      try count(1, at: mark)
      while true {
        let inner = try next()
        if inner.type == YAML_MAPPING_END_EVENT {
          var end = inner
          yaml_event_delete(&end)
          break
        }
        let key = try node(from: inner, depth: depth + 1)
        if case .scalar(let scalar) = key.node, let keyMark = scalar.mark {
          if let first = duplicate(of: scalar.string, at: keyMark, in: pairs, seen: &seen) {
            throw Diagnostic(
              file: file, line: keyMark.line, column: keyMark.column,
              "duplicate key '\(scalar.string)': the first '\(scalar.string)' is at line "
                + "\(first.line), column \(first.column)",
              fix: "keep one of them; a later key would silently replace the earlier one")
          }
        }
        let value = try node(from: try next(), depth: depth + 1)
        pairs.append((key.node, value.node))
        size += key.size + value.size
      }
      let written = start.implicit != 0 ? nil : Self.string(start.tag)
      let style = Node.Mapping.Style(rawValue: numericCast(start.style.rawValue)) ?? .any
      result = (.mapping(.init(pairs, written.map(tag) ?? mappingTag, style, mark)), size)
      anchor = start.anchor
    default:
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column, "invalid YAML: unexpected event")
    }
    if let name = Self.string(anchor) { anchors[name] = result }
    return result
  }

  /// Where `key` was first written among `pairs` (the keys before it), or nil when it is new.
  /// The keys of a mapping past `smallMapping` pairs move into `seen`, keyed by their text.
  private func duplicate(
    of key: String, at mark: Yams.Mark, in pairs: [(Node, Node)],
    seen: inout [String: Yams.Mark]?
  ) -> Yams.Mark? {
    if seen == nil {
      if pairs.count < Self.smallMapping {
        for (earlier, _) in pairs {
          if case .scalar(let scalar) = earlier, scalar.string == key { return scalar.mark }
        }
        return nil
      }
      var keys: [String: Yams.Mark] = [:]
      keys.reserveCapacity(pairs.count * 2)
      for (earlier, _) in pairs {
        if case .scalar(let scalar) = earlier, let at = scalar.mark {
          keys[scalar.string] = keys[scalar.string] ?? at
        }
      }
      seen = keys
    }
    return seen?.updateValue(mark, forKey: key)
  }

  /// Pairs below which a mapping's keys are compared one by one rather than hashed.
  private static let smallMapping = 12

  /// Counts `size` more nodes, refusing a document that aliases expand past the limit.
  private func count(_ size: Int, at mark: Yams.Mark) throws(Diagnostic) {
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
    guard yaml_parser_parse(&parser, &event) == 1 else { throw problem() }
    return event
  }

  /// libyaml's error, worded as Yams words it, with the tab and line fixes of
  /// ``YAMLLoader/diagnostic(_:text:file:)``.
  private func problem() -> Diagnostic {
    let message = parser.problem.map { String(cString: $0) } ?? "unknown problem"
    let mark = Self.mark(parser.problem_mark)
    let error: YamlError
    switch parser.error {
    case YAML_READER_ERROR:
      let index = text.utf8.index(
        text.utf8.startIndex, offsetBy: parser.problem_offset, limitedBy: text.utf8.endIndex)
      let offset = index?.samePosition(in: text).map {
        text.distance(from: text.startIndex, to: $0)
      }
      error = .reader(problem: message, offset: offset, value: parser.problem_value, yaml: text)
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

  private func tag(_ name: String) -> Tag { tag(Tag.Name(rawValue: name)) }

  /// The tag named `name`: shared unless Yams could change it in place.
  private func tag(_ name: Tag.Name) -> Tag {
    if name == .implicit || name == .nonSpecific {
      return Tag(name, YAMLLoader.coreSchema, constructor)
    }
    if let known = tags[name] { return known }
    let made = Tag(name, YAMLLoader.coreSchema, constructor)
    tags[name] = made
    return made
  }

  /// Yams' `Mark` has public fields but no public initializer; this is its layout (two `Int`s
  /// in declaration order), which `unsafeBitCast` checks by size.
  private struct MarkFields {
    let line: Int
    let column: Int
  }

  /// libyaml's zero-based mark as Yams' one-based `Mark`.
  private static func mark(_ mark: yaml_mark_t) -> Yams.Mark {
    unsafeBitCast(MarkFields(line: mark.line + 1, column: mark.column + 1), to: Yams.Mark.self)
  }

  private static func string(_ pointer: UnsafePointer<UInt8>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
    pointer.map { String(cString: $0) }
  }
}
