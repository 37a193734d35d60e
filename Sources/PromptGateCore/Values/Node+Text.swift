import Yams

extension Node {
  /// The text of a scalar; nil for a mapping or a sequence. Yams' `string` reads the same text
  /// through its constructor, copying the node and searching a mapping for a `=` key.
  var text: String? {
    guard case .scalar(let scalar) = self else { return nil }
    return scalar.string
  }
}
