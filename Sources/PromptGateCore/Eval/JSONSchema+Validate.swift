import Foundation

extension JSONSchema {
  /// Appends to `violations` the ways `instance`, at `path`, breaks `schema` (a part of `root`).
  static func validate(
    _ instance: JSONValue, against schema: JSONValue, path: String, root: JSONValue, depth: Int,
    into violations: inout [String]
  ) {
    func fail(_ message: String) {
      violations.append("at \(path.isEmpty ? "/" : path): \(message)")
    }
    func sub(_ value: JSONValue, _ schema: JSONValue, _ subpath: String) {
      validate(value, against: schema, path: subpath, root: root, depth: depth, into: &violations)
    }
    func matches(_ schema: JSONValue) -> Bool {
      var scratch: [String] = []
      validate(instance, against: schema, path: path, root: root, depth: depth, into: &scratch)
      return scratch.isEmpty
    }
    guard case .object(let keywords) = schema else {
      if schema == .bool(false) { fail("no value is allowed here") }
      return
    }
    if case .string(let reference)? = keywords["$ref"], let target = resolve(reference, in: root) {
      guard depth < maximumDepth else { return fail("$ref '\(reference)' recurses too deeply") }
      validate(
        instance, against: target, path: path, root: root, depth: depth + 1, into: &violations)
    }
    if let type = keywords["type"] {
      let names: [String]
      if case .array(let list) = type {
        names = list.compactMap(\.scalarText)
      } else {
        names = [type.scalarText ?? ""]
      }
      if !names.contains(where: { instance.hasType($0) }) {
        return fail(
          "expected \(names.joined(separator: " or ")), found \(instance.schemaTypeName)")
      }
    }
    if let allowed = keywords["enum"], case .array(let values) = allowed, !values.contains(instance)
    {
      fail("expected one of \(text(allowed)), found \(text(instance))")
    }
    if let constant = keywords["const"], constant != instance {
      fail("expected \(text(constant)), found \(text(instance))")
    }
    for name in ["allOf", "anyOf", "oneOf"] {
      guard case .array(let schemas)? = keywords[name] else { continue }
      switch name {
      case "allOf": for schema in schemas { sub(instance, schema, path) }
      case "anyOf":
        if !schemas.contains(where: matches) {
          fail("matches none of the \(schemas.count) anyOf schemas")
        }
      default:
        let count = schemas.filter(matches).count
        if count != 1 { fail("matches \(count) of the oneOf schemas; expected exactly one") }
      }
    }
    if let negated = keywords["not"], matches(negated) { fail("must not match the 'not' schema") }

    switch instance {
    case .number(let number):
      checkNumber(number, keywords, fail)
    case .string(let text):
      let length = text.unicodeScalars.count
      if case .number(let bound)? = keywords["minLength"], Double(length) < bound {
        fail("expected at least \(Int(bound)) characters, found \(length)")
      }
      if case .number(let bound)? = keywords["maxLength"], Double(length) > bound {
        fail("expected at most \(Int(bound)) characters, found \(length)")
      }
      if case .string(let pattern)? = keywords["pattern"], let expression = try? regex(pattern),
        expression.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count))
          == nil
      {
        fail("\(self.text(instance)) does not match the pattern /\(pattern)/")
      }
    case .array(let elements):
      if case .number(let bound)? = keywords["minItems"], Double(elements.count) < bound {
        fail("expected at least \(Int(bound)) items, found \(elements.count)")
      }
      if case .number(let bound)? = keywords["maxItems"], Double(elements.count) > bound {
        fail("expected at most \(Int(bound)) items, found \(elements.count)")
      }
      if keywords["uniqueItems"] == .bool(true), Set(elements).count != elements.count {
        fail("expected unique items, found duplicates")
      }
      var prefix = 0
      if case .array(let schemas)? = keywords["prefixItems"] {
        prefix = schemas.count
        for (index, schema) in zip(elements.indices, schemas) {
          sub(elements[index], schema, "\(path)/\(index)")
        }
      }
      if let items = keywords["items"], elements.count > prefix {
        for index in prefix..<elements.count { sub(elements[index], items, "\(path)/\(index)") }
      }
    case .object(let members):
      if case .number(let bound)? = keywords["minProperties"], Double(members.count) < bound {
        fail("expected at least \(Int(bound)) properties, found \(members.count)")
      }
      if case .number(let bound)? = keywords["maxProperties"], Double(members.count) > bound {
        fail("expected at most \(Int(bound)) properties, found \(members.count)")
      }
      if case .array(let names)? = keywords["required"] {
        for case .string(let name) in names where members[name] == nil {
          fail("missing required property '\(name)'")
        }
      }
      var declared: [String: JSONValue] = [:]
      if case .object(let properties)? = keywords["properties"] { declared = properties }
      for (key, member) in members.sorted(by: { $0.key < $1.key }) {
        let subpath = "\(path)/\(escape(key))"
        if let schema = declared[key] {
          sub(member, schema, subpath)
        } else if let additional = keywords["additionalProperties"] {
          if additional == .bool(false) {
            fail("property '\(key)' is not allowed")
          } else {
            sub(member, additional, subpath)
          }
        }
      }
    case .null, .bool: break
    }
  }

  private static func checkNumber(
    _ number: Double, _ keywords: [String: JSONValue], _ fail: (String) -> Void
  ) {
    let format = { (value: Double) in CanonicalJSON.format(value) ?? "\(value)" }
    if case .number(let bound)? = keywords["minimum"], number < bound {
      fail("expected at least \(format(bound)), found \(format(number))")
    }
    if case .number(let bound)? = keywords["maximum"], number > bound {
      fail("expected at most \(format(bound)), found \(format(number))")
    }
    if case .number(let bound)? = keywords["exclusiveMinimum"], number <= bound {
      fail("expected more than \(format(bound)), found \(format(number))")
    }
    if case .number(let bound)? = keywords["exclusiveMaximum"], number >= bound {
      fail("expected less than \(format(bound)), found \(format(number))")
    }
    if case .number(let divisor)? = keywords["multipleOf"], divisor > 0 {
      let quotient = number / divisor
      if abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) {
        fail("expected a multiple of \(format(divisor)), found \(format(number))")
      }
    }
  }

  private static func text(_ value: JSONValue) -> String {
    (try? CanonicalJSON.serialize(value)) ?? "\(value)"
  }
}

extension JSONValue {
  /// The JSON Schema type name of the value (`integer` for a number with no fraction).
  fileprivate var schemaTypeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number(let number): return number.rounded() == number ? "integer" : "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  fileprivate func hasType(_ name: String) -> Bool {
    let own = schemaTypeName
    return own == name || (name == "number" && own == "integer")
  }
}
