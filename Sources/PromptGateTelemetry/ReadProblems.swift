/// What a read skipped or ignored: lines that are not events, keys no format defines. A report
/// over a read with skipped lines is partial.
public struct ReadProblems: Sendable, Equatable, Encodable {
  /// One skipped line: where, and why.
  public struct Skipped: Sendable, Equatable, Encodable {
    /// The file (`-` for standard input) or server.
    public let source: String
    /// The 1-based line number.
    public let line: Int
    public let reason: String
  }

  /// How many skipped lines are kept with their reason; the rest are only counted.
  public static let keptReasons = 20

  /// Lines skipped in all.
  public private(set) var skippedLines = 0
  /// The first ``keptReasons`` skipped lines.
  public private(set) var skipped: [Skipped] = []
  /// Keys no format defines, with how many lines carried each (ignored, not an error).
  public private(set) var unknownKeys: [String: Int] = [:]

  /// Spans read in traces where no span carries `promptgate.behavior_id` (not stamped, or
  /// whose request span never arrived): not counted in any version.
  public internal(set) var unattributedSpans = 0

  /// No problems yet.
  public init() {}

  /// True when some lines were skipped.
  public var partial: Bool { skippedLines > 0 }

  /// Records that `line` of `source` was skipped for `reason`.
  public mutating func skip(source: String, line: Int, reason: String) {
    skippedLines += 1
    if skipped.count < Self.keptReasons {
      skipped.append(Skipped(source: source, line: line, reason: String(reason.prefix(300))))
    }
  }

  /// Records an unknown key (at most 100 distinct names are kept, so that hostile input cannot
  /// grow this without bound).
  mutating func unknown(_ key: String) {
    if unknownKeys[key] != nil || unknownKeys.count < 100 {
      unknownKeys[String(key.prefix(100)), default: 0] += 1
    }
  }

  /// Adds `other`'s problems.
  public mutating func merge(_ other: ReadProblems) {
    skippedLines += other.skippedLines
    skipped += other.skipped.prefix(max(0, Self.keptReasons - skipped.count))
    for (key, count) in other.unknownKeys { unknownKeys[key, default: 0] += count }
    unattributedSpans += other.unattributedSpans
  }

  enum CodingKeys: String, CodingKey { case skippedLines, skipped, unknownKeys, unattributedSpans }
}
