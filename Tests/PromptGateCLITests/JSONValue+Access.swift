import PromptGateCore

/// Reading parsed YAML and JSON in the tests: a member, an element list or a string, or nil.
extension JSONValue {
  var object: [String: JSONValue]? {
    if case .object(let members) = self { return members }
    return nil
  }

  var array: [JSONValue]? {
    if case .array(let elements) = self { return elements }
    return nil
  }

  var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }
}
