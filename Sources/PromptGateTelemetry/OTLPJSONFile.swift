import Foundation
import PromptGateCore

/// OTLP JSON lines as the OpenTelemetry Collector's file exporter writes them: each line one
/// batch (`resourceSpans` → `scopeSpans` → `spans`), spans grouped into requests by trace.
public struct OTLPJSONFile: EventSource {
  /// The path, or `-` for standard input.
  public let path: String
  /// Keep the content attributes (messages, tool arguments and results) for replay.
  public var keepContent: Bool
  /// Lines longer than this are skipped.
  public var maximumLineLength: Int

  /// A reader of `path`.
  public init(
    path: String, keepContent: Bool = false,
    maximumLineLength: Int = NativeEventFile.defaultMaximumLineLength
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

  func events(
    descriptor: Int32, prefix: [UInt8], problems: inout ReadProblems,
    _ body: (TelemetryEvent) throws -> Void
  ) throws {
    var traces = OTLPTraces(keepContent: keepContent)
    try LineReader(maximumLineLength: maximumLineLength).readJSON(
      descriptor: descriptor, prefix: prefix, source: path,
      overlong: "a batch this large is skipped", problems: &problems
    ) { node, line, found in
      guard case .array(let resources)? = node["resourceSpans"] else {
        found.skip(
          source: path, line: line,
          reason: "not an OTLP batch: no resourceSpans list (is this a native events file?)")
        return
      }
      for resource in resources {
        guard case .array(let scopes)? = resource["scopeSpans"] else { continue }
        for scope in scopes {
          guard case .array(let spans)? = scope["spans"] else { continue }
          for span in spans { traces.add(span: span) }
        }
      }
      try traces.endBatch(problems: &found, body)
    }
    try traces.finish(problems: &problems, body)
  }
}

/// A telemetry file whose format is detected from its first line: OTLP JSON (a `resourceSpans`
/// batch) or native events; the Collector's length-prefixed `proto` or `zstd` framing is refused
/// with a clear message.
public struct TelemetryFile: EventSource {
  /// The path, or `-` for standard input.
  public let path: String
  /// Keep content for replay.
  public var keepContent: Bool

  /// A reader of `path`.
  public init(path: String, keepContent: Bool = false) {
    self.path = path
    self.keepContent = keepContent
  }

  public var name: String { path }

  public func events(problems: inout ReadProblems, _ body: (TelemetryEvent) throws -> Void) throws {
    let descriptor = try TelemetryFiles.open(path)
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    // Enough of the file to see its first line's opening (a batch starts with resourceSpans).
    var prefix: [UInt8] = []
    let want = 4096
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: want)
    defer { buffer.deallocate() }
    while prefix.count < want {
      let read = Glibc.read(descriptor, buffer, want - prefix.count)
      if read < 0, errno == EINTR { continue }
      if read <= 0 { break }
      prefix.append(contentsOf: UnsafeBufferPointer(start: buffer, count: read))
    }
    let first = prefix.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    if let first, first != UInt8(ascii: "{") {
      throw PromptGateError(
        .usage,
        "\(path) is neither JSON lines nor native events (it starts with byte 0x\(String(first, radix: 16))): the Collector's proto or zstd framing is not read yet; set the file exporter's format to json, without compression"
      )
    }
    let head = String(decoding: prefix.prefix(200), as: UTF8.self)
    if head.contains("\"resourceSpans\"") {
      try OTLPJSONFile(path: path, keepContent: keepContent).events(
        descriptor: descriptor, prefix: prefix, problems: &problems, body)
    } else {
      try NativeEventFile(path: path, keepContent: keepContent).events(
        descriptor: descriptor, prefix: prefix, problems: &problems, body)
    }
  }
}
