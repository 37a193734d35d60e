import Yams

extension Node {
  /// The text of a scalar; nil for a mapping or a sequence. Yams' `string` reads the same text
  /// through its constructor, copying the node and searching a mapping for a `=` key.
  var text: String? {
    guard case .scalar(let scalar) = self else { return nil }
    return scalar.string
  }
}

extension Node.Mapping {
  /// The key-value pairs in order, read in place. Yams' own iterator first copies every pair
  /// into a new array, which a large mapping pays at each of its mappings.
  var entries: LazyMapCollection<Range<Int>, (key: Node, value: Node)> {
    (startIndex..<endIndex).lazy.map { self[$0] }
  }
}
