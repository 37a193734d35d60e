extension Source {
  /// The source as JSON, for a manifest: `{files: [...]}`, `{file, pointer}`,
  /// `{file, regex, group}` or `{value}`, with `optional` when it is and `hash: body` when a
  /// file set hashes prompt text alone.
  public var definition: JSONValue {
    var members: [String: JSONValue]
    switch form {
    case .files(let globs): members = ["files": .array(globs.map { .string($0.text) })]
    case .pointer(let file, let pointer):
      members = ["file": .string(file), "pointer": .string(pointer.description)]
    case .regex(let file, let pattern, let group):
      members = [
        "file": .string(file), "regex": .string(pattern), "group": .number(Double(group)),
      ]
    case .value(let value): members = ["value": value]
    }
    if isOptional { members["optional"] = .bool(true) }
    if hashesBody { members["hash"] = .string("body") }
    return .object(members)
  }
}
