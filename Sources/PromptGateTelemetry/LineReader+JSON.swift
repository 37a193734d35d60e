import Foundation
import PromptGateCore

extension LineReader {
  /// Reads JSON lines from `descriptor` (whose first bytes, already read, are `prefix`) and hands
  /// each parsed line to `each` with its number. Blank lines are passed over; a line that is not
  /// JSON, or longer than ``maximumLineLength`` (`overlong` says what such a line is), is
  /// recorded in `problems` with its line and skipped. A read that fails part-way throws.
  /// `fast` sees each line's bytes first: when it returns true it has handled the line, which
  /// is then not parsed.
  func readJSON(
    descriptor: Int32, prefix: [UInt8], source: String, overlong: String,
    problems: inout ReadProblems,
    fast: (UnsafeBufferPointer<UInt8>) throws -> Bool = { _ in false },
    _ each: (JSONNode, Int, inout ReadProblems) throws -> Void
  ) throws {
    var found = problems
    defer { problems = found }
    do {
      try read(
        descriptor: descriptor, prefix: prefix,
        body: { bytes, line, terminated in
          if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
          if try fast(bytes) { return }
          do {
            try each(try JSONNode.parse(bytes), line, &found)
          } catch let error as JSONSyntaxError {
            let cut = terminated ? "" : " (the last line has no newline: cut while written?)"
            found.skip(
              source: source, line: line,
              reason: "not JSON at column \(error.column): \(error.message)\(cut)")
          }
        },
        overlong: { line in
          found.skip(
            source: source, line: line,
            reason: "longer than \(maximumLineLength >> 20) MiB: \(overlong)")
        })
    } catch let error as LineReadError {
      throw PromptGateError(.environment, "cannot read \(source): \(error.message)")
    }
  }
}
