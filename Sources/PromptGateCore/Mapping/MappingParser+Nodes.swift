import Yams

extension MappingParser {
  /// The key-value pairs of a mapping node (read in place, not copied), or a problem when the
  /// node is something else; `label` is only worded for the problem.
  mutating func members(of node: YAMLNode, at label: @autoclosure () -> String)
    -> YAMLNode.Mapping?
  {
    guard case .mapping(let mapping) = node else {
      problems.append(
        diagnostic(at: node, "\(label()) must be a mapping of keys to values", fix: nil))
      return nil
    }
    return mapping.entries
  }

  mutating func unknownKey(_ key: YAMLNode, in label: String, known: [String]) {
    let name = key.text ?? "?"
    // Only the first problems in file order are printed (``Diagnostics/shownLimit``): a key
    // with that many unknown keys before it is never shown, so it is not worth the search for
    // a close name (most of the time of a file of many unknown keys). Its fix lists the keys.
    var fix = isAmongEarliestUnknownKeys(key.mark) ? suggestion(for: name, among: known) : nil
    if fix == nil {
      if knownKeysText?.keys != known {
        knownKeysText = (known, "the keys here are: \(known.joined(separator: ", "))")
      }
      fix = knownKeysText?.text
    }
    problems.append(
      diagnostic(at: key, "unknown key \(Diagnostic.quote(name)) in \(label)", fix: fix))
  }

  /// Whether an unknown key at `mark` is among the first ``Diagnostics/shownLimit`` found so
  /// far in file order; records it when it is. (Other problems are not counted: a key may be
  /// deemed shown when it is not, never the reverse.)
  mutating func isAmongEarliestUnknownKeys(_ mark: Mark) -> Bool {
    func before(_ lhs: Mark, _ rhs: Mark) -> Bool {
      (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
    if earliestUnknownKeys.count == Diagnostics.shownLimit {
      guard let last = earliestUnknownKeys.last, before(mark, last) else { return false }
      earliestUnknownKeys.removeLast()
    }
    let place = earliestUnknownKeys.firstIndex { before(mark, $0) } ?? earliestUnknownKeys.endIndex
    earliestUnknownKeys.insert(mark, at: place)
    return true
  }

  mutating func string(_ node: YAMLNode, key: @autoclosure () -> String) -> String? {
    guard case .scalar(let scalar) = node, YAMLLoader.tag(of: scalar) != .null else {
      problems.append(diagnostic(at: node, "\(key()) must be a string", fix: nil))
      return nil
    }
    return scalar.string
  }

  mutating func bool(_ node: YAMLNode, key: @autoclosure () -> String) -> Bool? {
    guard case .scalar(let scalar) = node, YAMLLoader.tag(of: scalar) == .bool else {
      problems.append(diagnostic(at: node, "\(key()) must be true or false", fix: nil))
      return nil
    }
    return scalar.string.lowercased() == "true"
  }

  /// A file set's `hash`: `file` (whole files, the default) or `body` (prompt text alone).
  mutating func sourceHash(_ node: YAMLNode, label: @autoclosure () -> String) -> String? {
    guard case .scalar(let scalar) = node, Self.sourceHashes.contains(scalar.string) else {
      problems.append(
        diagnostic(
          at: node, "\(label()).hash must be `file` or `body`",
          fix: "`body` hashes .prompt and .prompty files without their front matter; `file` "
            + "(the default) hashes whole files"))
      return nil
    }
    return scalar.string
  }

  /// A repository-relative file path (no wildcards).
  mutating func path(_ node: YAMLNode, key: @autoclosure () -> String) -> String? {
    guard let text = string(node, key: key()) else { return nil }
    return validPath(text, node: node, label: key()) ? text : nil
  }

  mutating func validPath(_ text: String, node: YAMLNode, label: @autoclosure () -> String) -> Bool
  {
    do {
      let glob = try Glob(text)
      guard glob.isLiteral, !glob.isNegated, !text.hasSuffix("/") else {
        problems.append(
          diagnostic(
            at: node, "\(label()): \(Diagnostic.quote(text)) must name one file",
            fix: "remove the wildcard, or use `files:`"))
        return false
      }
      return true
    } catch {
      problems.append(diagnostic(at: node, "\(label()): \(error.description)", fix: nil))
      return false
    }
  }

  /// A list of patterns (or one pattern), each checked for statically impossible forms.
  mutating func globs(_ node: YAMLNode, key: @autoclosure () -> String) -> [Glob]? {
    var result: [Glob] = []
    var failed = false
    switch node {
    case .scalar:
      failed = !glob(node, key: key(), into: &result)
    case .sequence(let sequence):
      result.reserveCapacity(sequence.count)
      for item in sequence where !glob(item, key: key(), into: &result) {
        failed = true
      }
    default:
      problems.append(
        diagnostic(at: node, "\(key()) must be a pattern or a list of patterns", fix: nil))
      return nil
    }
    if !failed, !result.contains(where: { !$0.isNegated }) {
      problems.append(
        diagnostic(at: node, "\(key()) has no pattern that includes files", fix: "add one"))
      return nil
    }
    return failed ? nil : result
  }

  /// Appends the pattern `item` holds to `result`; false, with a problem, when it holds none.
  private mutating func glob(
    _ item: YAMLNode, key: @autoclosure () -> String, into result: inout [Glob]
  ) -> Bool {
    guard let text = string(item, key: key()) else { return false }
    if let known = knownGlobs[text] {
      result.append(known)
      return true
    }
    do {
      let glob = try Glob(text)
      knownGlobs[text] = glob
      result.append(glob)
      return true
    } catch {
      problems.append(
        diagnostic(
          at: item, "\(key()): \(error.description)",
          fix: "write a path relative to the repository root"))
      return false
    }
  }

  /// The JSON value of a node; invalid numbers have already been reported by the loader.
  mutating func canonical(_ node: YAMLNode) -> JSONValue {
    do {
      return try YAMLLoader.value(of: node, file: file)
    } catch {
      problems.append(error)
      return .null
    }
  }

  func diagnostic(at node: YAMLNode, _ message: String, fix: String?) -> Diagnostic {
    Diagnostic(file: file, line: node.mark.line, column: node.mark.column, message, fix: fix)
  }

  func suggestion(for name: String, among known: [String]) -> String? {
    Self.suggestion(for: name, among: known)
  }

  /// "did you mean ..." for the closest of `known`, when one is close; none for a long name,
  /// whose distance would cost more than it could help.
  static func suggestion(for name: String, among known: [String]) -> String? {
    guard name.count <= Diagnostic.quotedLength else { return nil }
    let limit = max(2, name.count / 3)
    let lowered = Array(name.lowercased().unicodeScalars)
    var best: (name: String, distance: Int)?
    for candidate in known {
      // The distance is at least the difference in length: skip what cannot win, before
      // lowering an ASCII key (which keeps its length).
      let bound = min(limit, (best?.distance ?? .max) - 1)
      let ascii = candidate.utf8.allSatisfy { $0 < 0x80 }
      if ascii, abs(candidate.utf8.count - lowered.count) > bound { continue }
      let other = Array(candidate.lowercased().unicodeScalars)
      guard abs(other.count - lowered.count) <= bound else { continue }
      let found = distance(lowered, other, atMost: bound)
      if found <= limit, found < (best?.distance ?? .max) { best = (candidate, found) }
    }
    return best.map { "did you mean \(Diagnostic.quote($0.name))?" }
  }

  /// Letters, digits, `.`, `_` and `-`, starting with a letter or digit, with no `..` and not
  /// ending in `.lock` (a name becomes part of a git ref). Read as bytes: a valid name is ASCII.
  static func isValidName(_ name: String) -> Bool {
    var previous: UInt8 = 0
    for (index, byte) in name.utf8.enumerated() {
      let isAlnum = byte.isASCIILetterOrDigit
      guard isAlnum || (index > 0 && (byte == 0x2E || byte == 0x5F || byte == 0x2D)),
        byte != 0x2E || previous != 0x2E
      else { return false }
      previous = byte
    }
    return previous != 0 && !name.hasSuffix(".lock")
  }

  /// Levenshtein distance, for "did you mean", in one row reused. Past `bound` the exact
  /// figure does not matter: once a whole row exceeds it, so does the distance, and the
  /// search stops there with `bound + 1`.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atMost bound: Int = .max)
    -> Int
  {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
      var diagonal = row[0]
      row[0] = i
      var smallest = i
      for j in 1...b.count {
        let above = row[j]
        row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
        diagonal = above
        smallest = min(smallest, row[j])
      }
      if smallest > bound { return bound + 1 }
    }
    return row[b.count]
  }
}

extension UInt8 {
  fileprivate var isASCIILetterOrDigit: Bool {
    (0x61...0x7A).contains(self) || (0x41...0x5A).contains(self) || (0x30...0x39).contains(self)
  }
}
