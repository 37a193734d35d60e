import Yams

/// Reads YAML with the 1.2 core schema: `on`, `no` and dates stay strings; duplicate keys are errors.
///
/// Data files (what pointers read, policy files, case files) also expand YAML 1.1 merge keys
/// (`<<: *defaults`); the mapping file does not, so a `<<` there stays an unknown key.
public enum YAMLLoader {
  /// The core-schema tag of a scalar: `str` when quoted, the explicit tag when one is written,
  /// else what its plain text resolves to (null, bool, int, float or str). Plain scalars are
  /// resolved in plain code: one switch instead of Yams' four ICU regexes, compiled at start-up
  /// and run on every scalar.
  static func tag(of scalar: YAMLNode.Scalar) -> Tag.Name {
    guard let written = scalar.writtenTag else { return CoreSchema.resolve(scalar.string) }
    return written == .nonSpecific ? .str : written
  }

  /// Parses `text`, the contents of `file`, into its node tree; nil for an empty document.
  /// Duplicate keys, nesting past ``maximumDepth`` and aliases expanding past
  /// ``maximumAliasNodes`` are refused at the node where they occur.
  static func compose(_ text: String, file: String) throws(Diagnostic) -> YAMLNode? {
    try YAMLComposer.compose(text, file: file)
  }

  /// Parses `text` into a JSON value; with `mergeKeys`, `<<` merge keys are expanded.
  public static func load(_ text: String, file: String, mergeKeys: Bool = false) throws(Diagnostic)
    -> JSONValue
  {
    guard let node = try compose(text, file: file) else { return .null }
    return try value(of: node, file: file, mergeKeys: mergeKeys)
  }

  /// The JSON value of a node, with numbers, booleans and nulls as the core schema resolves them.
  ///
  /// With `mergeKeys`, a plain `<<` key merges the mapping it holds, or each mapping of the list
  /// it holds, into its own mapping (YAML 1.1's merge type): the mapping's own keys win, and an
  /// earlier mapping of the list wins over a later one. Without it, `<<` is an ordinary key.
  static func value(of node: YAMLNode, file: String, mergeKeys: Bool = false) throws(Diagnostic)
    -> JSONValue
  {
    switch node {
    case .scalar(let scalar):
      return try scalarValue(scalar, file: file)
    case .sequence(let sequence):
      var list: [JSONValue] = []
      list.reserveCapacity(sequence.count)
      for element in sequence {
        list.append(try value(of: element, file: file, mergeKeys: mergeKeys))
      }
      return .array(list)
    case .mapping(let mapping):
      var members: [String: JSONValue] = [:]
      members.reserveCapacity(mapping.count)
      var merged: [[String: JSONValue]] = []
      for (key, element) in mapping.entries {
        guard case .scalar(let keyScalar) = key else {
          throw Diagnostic(
            file: file, line: key.mark.line, column: key.mark.column,
            "a mapping key must be a plain value, not \(key.mapping != nil ? "a mapping" : "a list")"
          )
        }
        if mergeKeys, isMergeKey(keyScalar) {
          merged = try mergedMappings(element, key: keyScalar, file: file)
        } else {
          members[keyScalar.string] = try value(of: element, file: file, mergeKeys: mergeKeys)
        }
      }
      for source in merged {
        members.merge(source) { own, _ in own }
      }
      return .object(members)
    }
  }

  /// A plain `<<`, or one tagged `!!merge`; a quoted `"<<"` is an ordinary key.
  static func isMergeKey(_ scalar: YAMLNode.Scalar) -> Bool {
    guard scalar.string == "<<" else { return false }
    guard let written = scalar.writtenTag else { return scalar.style == .plain }
    return written == .merge
  }

  /// The mappings a merge key's value names, earliest (strongest) first.
  private static func mergedMappings(_ node: YAMLNode, key: YAMLNode.Scalar, file: String)
    throws(Diagnostic) -> [[String: JSONValue]]
  {
    let sources: [YAMLNode] = if case .sequence(let list) = node { Array(list) } else { [node] }
    var result: [[String: JSONValue]] = []
    for source in sources {
      guard case .mapping = source,
        case .object(let members) = try value(of: source, file: file, mergeKeys: true)
      else {
        throw Diagnostic(
          file: file, line: source.mark.line, column: source.mark.column,
          "the merge key '<<' takes a mapping or a list of mappings",
          fix: "write '<<: *anchor' or '<<: [*first, *second]' with anchors of mappings")
      }
      result.append(members)
    }
    return result
  }

  static func scalarValue(_ scalar: YAMLNode.Scalar, file: String) throws(Diagnostic) -> JSONValue {
    let text = scalar.string
    switch YAMLLoader.tag(of: scalar) {
    case .null: return .null
    case .bool: return .bool(text.lowercased() == "true")
    case .int, .float:
      guard let number = number(text) else {
        throw Diagnostic(
          file: file, line: scalar.mark.line, column: scalar.mark.column,
          "\(text) is not a finite number", fix: "quote it to keep it as a string")
      }
      return .number(number)
    default: return .string(text)
    }
  }

  /// A core-schema number: decimal, `0o` octal, `0x` hex, or a float; nil for NaN and infinities.
  static func number(_ text: String) -> Double? {
    if text.hasPrefix("0o"), let value = Int64(text.dropFirst(2), radix: 8) { return Double(value) }
    if text.hasPrefix("0x"), let value = Int64(text.dropFirst(2), radix: 16) {
      return Double(value)
    }
    guard let value = Double(text.hasSuffix(".") ? text + "0" : text), value.isFinite else {
      return nil
    }
    return value
  }

  static func diagnostic(_ error: YamlError, text: String, file: String) -> Diagnostic {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      // libyaml words a tab in the indentation as a token it cannot start (or, inside a
      // plain scalar, as a tab that violates indentation).
      if problem.contains("cannot start any token") || problem.contains("tab"),
        let tab = tabIndentation(near: mark, in: text)
      {
        return Diagnostic(
          file: file, line: tab.line, column: tab.column,
          "a tab character indents line \(tab.line) (at column \(tab.column)); YAML allows only "
            + "spaces for indentation",
          fix: "indent with spaces")
      }
      return Diagnostic(
        file: file, line: mark.line, column: mark.column, "invalid YAML: \(problem)")
    case .reader(let problem, let offset, _, let yaml):
      let at = offset.map { Diagnostic.position(ofCharacterOffset: $0, in: yaml) }
      return Diagnostic(
        file: file, line: at?.line, column: at?.column, "cannot read YAML: \(problem)",
        fix: problem.contains("control") ? "remove the character here" : "save the file as UTF-8")
    default:
      return Diagnostic(file: file, "invalid YAML: \(error)")
    }
  }
}
