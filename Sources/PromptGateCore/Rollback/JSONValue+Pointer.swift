extension JSONValue {
  /// The document with the value at `pointer` replaced by `value`; nil when the pointer selects
  /// nothing. Used to check that a splice changed that value and nothing else.
  func replacing(_ pointer: JSONPointer, with value: JSONValue) -> JSONValue? {
    replacing(pointer.steps[...], with: value)
  }

  private func replacing(_ steps: ArraySlice<JSONPointer.Step>, with value: JSONValue)
    -> JSONValue?
  {
    guard let step = steps.first else { return value }
    let rest = steps.dropFirst()
    switch (step, self) {
    case (.key(let key), .object(var members)):
      guard let child = members[key]?.replacing(rest, with: value) else { return nil }
      members[key] = child
      return .object(members)
    case (.key(let token), .array(var list)):
      guard let index = Int(token), list.indices.contains(index),
        let child = list[index].replacing(rest, with: value)
      else { return nil }
      list[index] = child
      return .array(list)
    case (.element, .array(var list)):
      guard let index = Self.selectedIndex(step, in: list),
        let child = list[index].replacing(rest, with: value)
      else { return nil }
      list[index] = child
      return .array(list)
    default:
      return nil
    }
  }

  /// The one index of `list` a `[KEY=VALUE]` step selects, or a decimal step names.
  static func selectedIndex(_ step: JSONPointer.Step, in list: [JSONValue]) -> Int? {
    switch step {
    case .key(let token):
      guard let index = Int(token), String(index) == token, list.indices.contains(index) else {
        return nil
      }
      return index
    case .element(let key, let value):
      let matches = list.indices.filter { index in
        guard case .object(let members) = list[index] else { return false }
        return members[key]?.scalarText == value
      }
      return matches.count == 1 ? matches[0] : nil
    }
  }
}
