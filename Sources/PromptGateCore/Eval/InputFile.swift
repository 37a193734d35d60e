import Foundation
import SystemPackage

/// A child's standard input held in an unlinked temporary file instead of a pipe: a harness or
/// `command` that exits without reading its input (or reads only part of a large case) can
/// never break a pipe and take the gate down with SIGPIPE, and nothing is left on disk.
enum InputFile {
  /// Runs `body` with a descriptor open on a file holding `text`, positioned at its start.
  static func with<T>(_ text: String, _ body: (FileDescriptor) async throws -> T) async throws
    -> T
  {
    var template = Array((NSTemporaryDirectory() + "promptgate-input-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.map { mkstemp($0) } ?? -1
    }
    guard descriptor >= 0 else {
      throw PromptGateError(
        .environment,
        "cannot make a temporary file in \(NSTemporaryDirectory()): \(String(cString: strerror(errno))); check TMPDIR"
      )
    }
    defer { close(descriptor) }
    unlink(String(cString: template))
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      guard written > 0 else {
        if written < 0, errno == EINTR { continue }
        throw PromptGateError(
          .environment,
          "cannot write a temporary file in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))"
        )
      }
      bytes = bytes.dropFirst(written)
    }
    lseek(descriptor, 0, SEEK_SET)
    return try await body(FileDescriptor(rawValue: descriptor))
  }
}
