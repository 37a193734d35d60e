/// The lines of a new text that differ from an old one: where annotations point.
public enum LineDiff {
  /// The most edits the Myers search explores before falling back to one trimmed range.
  static let maximumEdits = 2_000
  /// The most work (lines times edits) the search may do before falling back.
  static let maximumWork = 20_000_000

  /// The 1-based line ranges of `new` that are inserted or changed relative to `old`, one per
  /// hunk; a hunk that only deletes points at the line after it (clamped to the last line).
  public static func changedLines(old: String, new: String) -> [LineRange] {
    let before = lines(of: old)
    let after = lines(of: new)
    // Number the distinct lines so the search compares integers.
    var numbers: [Substring: Int] = [:]
    func number(_ line: Substring) -> Int {
      if let known = numbers[line] { return known }
      numbers[line] = numbers.count
      return numbers.count - 1
    }
    let a = before.map(number)
    let b = after.map(number)
    var ranges: [LineRange]
    if let edits = edits(a, b) {
      ranges = hunks(edits, newCount: b.count)
    } else {
      ranges = trimmed(a, b)
    }
    if ranges.isEmpty, old != new, !after.isEmpty {
      // Only a final newline differs: point at the last line.
      ranges = [LineRange(start: after.count, end: after.count)]
    }
    return ranges
  }

  /// The lines of `text`; a final newline ends the last line rather than starting an empty one.
  static func lines(of text: String) -> [Substring] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  /// Which lines of `a` are deleted and which of `b` inserted, by Myers' O((N+M)D) search; nil
  /// when the texts differ by more than the search may afford.
  static func edits(_ a: [Int], _ b: [Int]) -> (deleted: [Bool], inserted: [Bool])? {
    let n = a.count
    let m = b.count
    let total = n + m
    guard total > 0 else { return ([], []) }
    let limit = min(total, maximumEdits, max(1, maximumWork / total))
    let offset = limit + 1
    var v = [Int](repeating: 0, count: 2 * limit + 3)
    // trace[d] holds v[-d...d] after step d.
    var trace: [[Int]] = []
    var found: Int?
    search: for d in 0...limit {
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
          x = v[offset + k + 1]
        } else {
          x = v[offset + k - 1] + 1
        }
        var y = x - k
        while x < n, y < m, a[x] == b[y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n, y >= m {
          trace.append(Array(v[(offset - d)...(offset + d)]))
          found = d
          break search
        }
      }
      trace.append(Array(v[(offset - d)...(offset + d)]))
    }
    guard let distance = found else { return nil }
    var deleted = [Bool](repeating: false, count: n)
    var inserted = [Bool](repeating: false, count: m)
    var x = n
    var y = m
    for d in stride(from: distance, to: 0, by: -1) {
      let previous = trace[d - 1]
      let at = { (k: Int) in previous[k + d - 1] }
      let k = x - y
      let down = k == -d || (k != d && at(k - 1) < at(k + 1))
      let previousK = down ? k + 1 : k - 1
      let previousX = at(previousK)
      let previousY = previousX - previousK
      if down {
        inserted[previousY] = true
      } else {
        deleted[previousX] = true
      }
      x = previousX
      y = previousY
    }
    return (deleted, inserted)
  }

  /// Groups edits into hunks: each hunk's inserted lines, or the line after a pure deletion.
  static func hunks(_ edits: (deleted: [Bool], inserted: [Bool]), newCount: Int) -> [LineRange] {
    var ranges: [LineRange] = []
    var i = 0
    var j = 0
    while i < edits.deleted.count || j < edits.inserted.count {
      let deleting = i < edits.deleted.count && edits.deleted[i]
      let inserting = j < edits.inserted.count && edits.inserted[j]
      guard deleting || inserting else {
        i += 1
        j += 1
        continue
      }
      let start = j
      while i < edits.deleted.count, edits.deleted[i] { i += 1 }
      while j < edits.inserted.count, edits.inserted[j] { j += 1 }
      if j > start {
        ranges.append(LineRange(start: start + 1, end: j))
      } else if newCount > 0 {
        let line = min(start + 1, newCount)
        if ranges.last.map({ $0.end >= line }) != true {
          ranges.append(LineRange(start: line, end: line))
        }
      }
    }
    return ranges
  }

  /// The fallback: one range between the common prefix and the common suffix.
  static func trimmed(_ before: [Int], _ after: [Int]) -> [LineRange] {
    var prefix = 0
    while prefix < before.count, prefix < after.count, before[prefix] == after[prefix] {
      prefix += 1
    }
    var suffix = 0
    while suffix < before.count - prefix, suffix < after.count - prefix,
      before[before.count - 1 - suffix] == after[after.count - 1 - suffix]
    {
      suffix += 1
    }
    let first = prefix + 1
    let last = after.count - suffix
    if last >= first { return [LineRange(start: first, end: last)] }
    guard !after.isEmpty, before.count != after.count else { return [] }
    let line = min(first, after.count)
    return [LineRange(start: line, end: line)]
  }
}

/// An inclusive range of 1-based lines.
public struct LineRange: Codable, Sendable, Hashable {
  /// The first line.
  public let start: Int
  /// The last line.
  public let end: Int

  /// Creates a range.
  public init(start: Int, end: Int) {
    self.start = start
    self.end = end
  }
}

/// A file a regressed set's change touched, with the lines that changed: what annotations mark.
public struct ChangedInput: Codable, Sendable, Hashable {
  /// The repository path at the head.
  public let path: String
  /// The component it feeds.
  public let component: Component
  /// The changed lines at the head (empty when the file was deleted or is not UTF-8 text).
  public let lines: [LineRange]

  /// Creates one.
  public init(path: String, component: Component, lines: [LineRange]) {
    self.path = path
    self.component = component
    self.lines = lines
  }
}
