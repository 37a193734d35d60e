import Foundation

/// Large case files are read on every core: a JSON Lines file in parts of whole lines, each line
/// parsed, expanded and decoded by its part, and the cases of other formats expanded and decoded
/// in parts of their sources. What each part found is gathered in the order a single pass would
/// have found it.
extension CaseFile {
  /// Case sources from which a file's are expanded and decoded on every core.
  static let parallelCases = 4_096
  /// Bytes from which a JSON Lines file is read on every core.
  static let parallelBytes = 1 << 18

  /// What expanding and decoding one source gave, in the order a single pass gives it.
  enum Outcome {
    /// A problem found while expanding the source.
    case problem(Diagnostic)
    /// A case built, and the file messages name it in.
    case built(EvalCase, location: String)
    /// The problems that kept an expanded case from being built.
    case refused([Diagnostic])
  }

  /// The outcomes of `sources`, in order, in one list per part. Each source is dropped once its
  /// cases are built, so that the file is not held twice. The parts share the suite's tree
  /// (what `file://` reads) one at a time.
  static func outcomes(of sources: inout [CaseSource], suite: PromptfooSuite) -> [[Outcome]] {
    let parts = Parts.count(for: sources.count, threshold: parallelCases)
    let suite = shared(suite, parts: parts)
    let ranges = Parts.ranges(of: sources.count, in: parts)
    return sources.withUnsafeMutableBufferPointer { buffer in
      Parts.run(parts) { part in
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(ranges[part].count)
        for index in ranges[part] {
          var source = CaseSource(value: .null, line: 0, position: 0)
          swap(&source, &buffer[index])
          append(source, suite: suite, to: &outcomes)
        }
        return outcomes
      }
    }
  }

  /// The outcomes of a JSON Lines file, each line parsed, expanded and decoded by the part that
  /// reads it, so that a line's JSON is dropped as soon as its case is built; in parts of whole
  /// lines when the file is large. Nil when a line is a `file://` reference to other files,
  /// which are read in two passes.
  static func jsonLinesOutcomes(_ bytes: ArraySlice<UInt8>, file: String, suite: PromptfooSuite)
    -> [[Outcome]]?
  {
    let starts = lineParts(of: bytes)
    let suite = shared(suite, parts: starts.count)
    let found = Parts.run(starts.count) { part -> [Outcome]? in
      let end = part + 1 < starts.count ? starts[part + 1].index : bytes.endIndex
      var outcomes: [Outcome] = []
      var referenced = false
      forEachLine(
        of: bytes[starts[part].index..<end], firstLine: starts[part].line,
        firstPosition: starts[part].position, file: file
      ) { line in
        switch line {
        case .problem(let problem): outcomes.append(.problem(problem))
        case .source(let source):
          guard referencedPath(source) == nil else {
            referenced = true
            return false
          }
          append(source, suite: suite, to: &outcomes)
        }
        return true
      }
      return referenced ? nil : outcomes
    }
    guard found.allSatisfy({ $0 != nil }) else { return nil }
    return found.map { $0 ?? [] }
  }

  /// `suite`, with a tree that answers one question at a time when `parts` read it at once.
  private static func shared(_ suite: PromptfooSuite, parts: Int) -> PromptfooSuite {
    parts > 1
      ? PromptfooSuite(
        file: suite.file, baseDirectory: suite.baseDirectory, tree: suite.tree?.serialized(),
        defaultTest: suite.defaultTest)
      : suite
  }

  /// Appends what expanding and decoding `source` gives to `outcomes`.
  private static func append(
    _ source: CaseSource, suite: PromptfooSuite, to outcomes: inout [Outcome]
  ) {
    // Most tests of a large file are plain: decoded from the fields found for the check.
    if case .object(let fields) = source.value {
      let found = CaseFields(fields)
      if suite.isPlain(found) {
        let location = source.location ?? suite.file
        do throws(Diagnostics) {
          outcomes.append(
            .built(try EvalCase.decode(source, fields: found, file: location), location: location))
        } catch {
          outcomes.append(.refused(error.items))
        }
        return
      }
    }
    var problems: [Diagnostic] = []
    let expanded = suite.expand(source, problems: &problems)
    outcomes += problems.map(Outcome.problem)
    for each in expanded {
      let location = each.location ?? suite.file
      do throws(Diagnostics) {
        outcomes.append(.built(try EvalCase.decode(each, file: location), location: location))
      } catch {
        outcomes.append(.refused(error.items))
      }
    }
  }

  /// The case sources of a JSON Lines file, one per non-blank line, read in parts of whole
  /// lines when it is large.
  static func jsonLines(
    _ bytes: ArraySlice<UInt8>, file: String, problems: inout [Diagnostic]
  ) -> [CaseSource] {
    let starts = lineParts(of: bytes)
    var found = Parts.run(starts.count) { part in
      let end = part + 1 < starts.count ? starts[part + 1].index : bytes.endIndex
      var sources: [CaseSource] = []
      var problems: [Diagnostic] = []
      forEachLine(
        of: bytes[starts[part].index..<end], firstLine: starts[part].line,
        firstPosition: starts[part].position, file: file
      ) { line in
        switch line {
        case .source(let source): sources.append(source)
        case .problem(let problem): problems.append(problem)
        }
        return true
      }
      return (sources: sources, problems: problems)
    }
    var sources: [CaseSource] = []
    sources.reserveCapacity(found.reduce(0) { $0 + $1.sources.count })
    for slot in found.indices {
      // Each part is released once copied, so that at most one is held twice.
      var part = (sources: [CaseSource](), problems: [Diagnostic]())
      swap(&part, &found[slot])
      sources += part.sources
      problems += part.problems
    }
    return sources
  }

  /// Where each part of a JSON Lines file starts (a line's first byte), its 1-based line, and
  /// the number of non-blank lines before it: one part for a small file, else one per core.
  private static func lineParts(of bytes: ArraySlice<UInt8>)
    -> [(index: Int, line: Int, position: Int)]
  {
    let parts = Parts.count(for: bytes.count, threshold: parallelBytes)
    var starts = [(index: bytes.startIndex, line: 1, position: 0)]
    guard parts > 1 else { return starts }
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      var line = 1
      var position = 0
      var at = 0
      for part in 1..<parts {
        let target = buffer.count * part / parts
        while at < target, let newline = memchr(base + at, 0x0A, buffer.count - at) {
          let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
          if !isBlank(bytes[(bytes.startIndex + at)..<(bytes.startIndex + end)]) { position += 1 }
          line += 1
          at = end + 1
        }
        let index = bytes.startIndex + at
        if index > starts[starts.count - 1].index, index < bytes.endIndex {
          starts.append((index, line, position))
        }
      }
    }
    return starts
  }
}

extension CaseTree {
  /// This tree, answering one question at a time, for parts that read cases concurrently.
  func serialized() -> CaseTree {
    let lock = NSLock()
    let tree = self
    return CaseTree(
      read: { path in try lock.withLock { try tree.read(path) } },
      files: { directory in try lock.withLock { try tree.files(directory) } },
      location: { path in lock.withLock { tree.location(path) } })
  }
}
