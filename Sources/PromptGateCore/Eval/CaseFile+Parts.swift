import Foundation

/// Large case files are read on every core: JSON Lines parsed in parts of whole lines, and the
/// cases of any format expanded and decoded in parts of their sources. What each part found is
/// gathered in the order a single pass would have found it.
extension CaseFile {
  /// Case sources from which a file's are expanded and decoded on every core.
  static let parallelCases = 4_096
  /// Bytes from which a JSON Lines file is parsed on every core.
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
    let suite =
      parts > 1
      ? PromptfooSuite(
        file: suite.file, baseDirectory: suite.baseDirectory, tree: suite.tree?.serialized(),
        defaultTest: suite.defaultTest)
      : suite
    let ranges = Parts.ranges(of: sources.count, in: parts)
    return sources.withUnsafeMutableBufferPointer { buffer in
      Parts.run(parts) { part in
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(ranges[part].count)
        for index in ranges[part] {
          var source = CaseSource(value: .null, line: 0, position: 0)
          swap(&source, &buffer[index])
          // Most tests of a large file are plain: decoded from the fields found for the check.
          if case .object(let fields) = source.value {
            let found = CaseFields(fields)
            if suite.isPlain(found) {
              let location = source.location ?? suite.file
              do throws(Diagnostics) {
                outcomes.append(
                  .built(
                    try EvalCase.decode(source, fields: found, file: location),
                    location: location))
              } catch {
                outcomes.append(.refused(error.items))
              }
              continue
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
        return outcomes
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
      var problems: [Diagnostic] = []
      let sources = jsonLines(
        bytes[starts[part].index..<end], firstLine: starts[part].line, file: file,
        problems: &problems)
      return (sources: sources, problems: problems)
    }
    guard found.count > 1 else {
      problems += found.first?.problems ?? []
      return found.first?.sources ?? []
    }
    // Each part counted positions from 1: shift them past the parts before.
    var sources: [CaseSource] = []
    sources.reserveCapacity(found.reduce(0) { $0 + $1.sources.count })
    var before = 0
    for slot in found.indices {
      // Each part is released once copied, so that at most one is held twice.
      var part = (sources: [CaseSource](), problems: [Diagnostic]())
      swap(&part, &found[slot])
      let first = sources.count
      sources += part.sources
      for index in first..<sources.count { sources[index].position += before }
      before = sources.last?.position ?? before
      problems += part.problems
    }
    return sources
  }

  /// Where each part of a JSON Lines file starts (a line's first byte) and its 1-based line:
  /// one part for a small file, else one per core.
  private static func lineParts(of bytes: ArraySlice<UInt8>) -> [(index: Int, line: Int)] {
    let parts = Parts.count(for: bytes.count, threshold: parallelBytes)
    var starts = [(index: bytes.startIndex, line: 1)]
    guard parts > 1 else { return starts }
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      var line = 1
      var at = 0
      for part in 1..<parts {
        let target = buffer.count * part / parts
        while at < target, let newline = memchr(base + at, 0x0A, buffer.count - at) {
          line += 1
          at = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
        }
        let index = bytes.startIndex + at
        if index > starts[starts.count - 1].index, index < bytes.endIndex {
          starts.append((index, line))
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
