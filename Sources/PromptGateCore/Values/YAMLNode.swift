import Yams

/// One composed YAML document, its nodes stored in document order in one array: a node's
/// children follow it, and each node records where its subtree ends. A node of the tree is a
/// small view (this storage and a position), so reading a mapping copies no nodes and allocates
/// nothing per node; Yams' tree held two or three reference-counted fields in every node and
/// an array of pairs in every mapping, which was most of the cost of reading a large file.
final class YAMLDocument: Sendable {
  /// What a stored node is. An alias is stored where it is written and stands for its anchor's
  /// node, which every view resolves it to.
  enum Kind: UInt8 {
    case scalar, sequence, mapping, alias
  }

  struct Record {
    /// A scalar's text; empty for the others.
    var value: String
    /// The position past this node's subtree.
    var end: Int32
    /// Pairs of a mapping, elements of a sequence; for an alias, its anchor's position.
    var count: Int32
    var line: Int32
    var column: Int32
    /// A scalar's tag as written: ``plainTag``, ``quotedTag``, or a position in ``tags``.
    var tag: Int32
    var kind: Kind
    var style: UInt8
  }

  /// A plain scalar with no tag, resolved by the core schema.
  static let plainTag: Int32 = -1
  /// A quoted scalar with no tag: a string.
  static let quotedTag: Int32 = -2

  /// The nodes, in document order. Immutable, so reading them needs no exclusivity check.
  let records: [Record]
  /// Explicit tags, by the position a scalar's ``Record/tag`` holds.
  let tags: [String]

  init(records: [Record], tags: [String]) {
    self.records = records
    self.tags = tags
  }

  /// The position of the node that `position` stands for: an alias's anchor, else itself.
  static func resolved(_ position: Int32, in records: [Record]) -> Int32 {
    records[Int(position)].kind == .alias ? records[Int(position)].count : position
  }

  /// The node stored at `position`, an alias resolved to its anchor's node.
  func node(at position: Int32) -> YAMLNode {
    let position = Self.resolved(position, in: records)
    switch records[Int(position)].kind {
    case .scalar: return .scalar(YAMLNode.Scalar(document: self, position: position))
    case .sequence: return .sequence(YAMLNode.Sequence(document: self, position: position))
    case .mapping, .alias: return .mapping(YAMLNode.Mapping(document: self, position: position))
    }
  }

  func mark(at position: Int32) -> Mark {
    let record = records[Int(position)]
    return Mark(line: Int(record.line), column: Int(record.column))
  }
}

/// A node of a ``YAMLDocument``: a scalar, a sequence or a mapping, aliases already resolved.
enum YAMLNode {
  case scalar(Scalar)
  case sequence(Sequence)
  case mapping(Mapping)

  struct Scalar {
    /// The ways a scalar is written, as libyaml reports them.
    enum Style: UInt8 {
      case any, plain, singleQuoted, doubleQuoted, literal, folded
    }

    let document: YAMLDocument
    let position: Int32

    var string: String { document.records[Int(position)].value }
    var mark: Mark { document.mark(at: position) }
    var style: Style { Style(rawValue: document.records[Int(position)].style) ?? .any }

    /// The tag as written: nil for a plain scalar with none (which the core schema resolves),
    /// `str` for a quoted one with none.
    var writtenTag: Tag.Name? {
      switch document.records[Int(position)].tag {
      case YAMLDocument.plainTag: return nil
      case YAMLDocument.quotedTag: return .str
      case let index: return Tag.Name(rawValue: document.tags[Int(index)])
      }
    }
  }

  /// The elements of a sequence, in order.
  struct Sequence: Swift.Sequence {
    let document: YAMLDocument
    let position: Int32

    var count: Int { Int(document.records[Int(position)].count) }
    var mark: Mark { document.mark(at: position) }

    func makeIterator() -> Iterator {
      Iterator(document: document, cursor: position + 1, end: document.records[Int(position)].end)
    }

    struct Iterator: IteratorProtocol {
      let document: YAMLDocument
      var cursor: Int32
      let end: Int32

      mutating func next() -> YAMLNode? {
        guard cursor < end else { return nil }
        let element = cursor
        cursor = document.records[Int(element)].end
        return document.node(at: element)
      }
    }
  }

  /// The key-value pairs of a mapping, in the order written.
  struct Mapping: Swift.Sequence {
    let document: YAMLDocument
    let position: Int32

    var count: Int { Int(document.records[Int(position)].count) }
    var mark: Mark { document.mark(at: position) }

    /// The pairs; the mapping itself, kept for the readers that name them.
    var entries: Mapping { self }

    func makeIterator() -> Iterator {
      Iterator(document: document, cursor: position + 1, end: document.records[Int(position)].end)
    }

    struct Iterator: IteratorProtocol {
      let document: YAMLDocument
      var cursor: Int32
      let end: Int32

      mutating func next() -> (key: YAMLNode, value: YAMLNode)? {
        guard cursor < end else { return nil }
        let key = cursor
        let value = document.records[Int(key)].end
        cursor = document.records[Int(value)].end
        return (document.node(at: key), document.node(at: value))
      }
    }
  }

  /// Where the node starts (for an alias, where its anchor's node starts).
  var mark: Mark {
    switch self {
    case .scalar(let scalar): return scalar.mark
    case .sequence(let sequence): return sequence.mark
    case .mapping(let mapping): return mapping.mark
    }
  }

  /// The text of a scalar; nil for a mapping or a sequence.
  var text: String? {
    guard case .scalar(let scalar) = self else { return nil }
    return scalar.string
  }

  var scalar: Scalar? {
    guard case .scalar(let scalar) = self else { return nil }
    return scalar
  }

  var sequence: Sequence? {
    guard case .sequence(let sequence) = self else { return nil }
    return sequence
  }

  var mapping: Mapping? {
    guard case .mapping(let mapping) = self else { return nil }
    return mapping
  }
}
