import Foundation
import PromptGateCore

/// A file (or standard input, `-`) of native JSONL events, one request per line
/// (docs/telemetry.md, "Native events"), read in chunks.
public struct NativeEventFile: EventSource {
  /// The path, or `-` for standard input.
  public let path: String
  /// Keep the replay content (input, output, tool arguments and results).
  public var keepContent: Bool
  /// Lines longer than this are skipped.
  public var maximumLineLength: Int

  /// The default longest line: 16 MiB.
  public static let defaultMaximumLineLength = 16 << 20

  /// A reader of `path`.
  public init(
    path: String, keepContent: Bool = false, maximumLineLength: Int = defaultMaximumLineLength
  ) {
    self.path = path
    self.keepContent = keepContent
    self.maximumLineLength = maximumLineLength
  }

  public var name: String { path }

  public func events(problems: inout ReadProblems, _ body: (TelemetryEvent) throws -> Void) throws {
    let descriptor = try TelemetryFiles.open(path)
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    try events(descriptor: descriptor, prefix: [], problems: &problems, body)
  }

  /// Reads events from `descriptor`, whose first bytes, already read, are `prefix`.
  func events(
    descriptor: Int32, prefix: [UInt8], problems: inout ReadProblems,
    _ body: (TelemetryEvent) throws -> Void
  ) throws {
    let decoder = NativeEventDecoder(keepContent: keepContent)
    // Plain lines are read straight from their bytes; the rest, and content for replay, through
    // the JSON tree (the same events, or the reason a line is skipped).
    var scanner = NativeEventScanner()
    let keepContent = keepContent
    func fast(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
      guard !keepContent, let event = scanner.event(bytes) else { return false }
      try body(event)
      return true
    }
    try LineReader(maximumLineLength: maximumLineLength).readJSON(
      descriptor: descriptor, prefix: prefix, source: path,
      overlong: "a value this large is not an event", problems: &problems, fast: fast
    ) { node, line, found in
      do {
        try body(try decoder.decode(node) { found.unknown($0) })
      } catch let error as NativeEventDecoder.Invalid {
        found.skip(source: path, line: line, reason: error.message)
      }
    }
  }
}

/// Finding and opening telemetry files.
public enum TelemetryFiles {
  /// `patterns` with each glob (`*`, `?`, `[`) expanded, in order; `-` stays standard input. A
  /// glob that matches nothing is an error naming it.
  public static func expand(_ patterns: [String]) throws -> [String] {
    var paths: [String] = []
    for pattern in patterns {
      guard pattern != "-", pattern.contains(where: { "*?[".contains($0) }) else {
        paths.append(pattern)
        continue
      }
      var found = glob_t()
      defer { globfree(&found) }
      let status = glob(pattern, 0, nil, &found)
      guard status == 0 else {
        throw PromptGateError(
          .usage, "no telemetry file matches \(pattern); check the path and the pattern")
      }
      for index in 0..<Int(found.gl_pathc) {
        if let path = found.gl_pathv[index] { paths.append(String(cString: path)) }
      }
    }
    return paths
  }

  /// A descriptor for `path` (`-` is standard input).
  static func open(_ path: String) throws -> Int32 {
    if path == "-" { return STDIN_FILENO }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      throw PromptGateError(.usage, "\(path) is a directory; name the telemetry files in it")
    }
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      throw PromptGateError(.usage, "cannot open telemetry file \(path): \(reason)")
    }
    return descriptor
  }
}
