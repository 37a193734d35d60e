import GitKit

/// A side with no files: the parent of a first commit, or HEAD while it is unborn.
public final class EmptySnapshot: Snapshot {
  public let label: String

  /// Creates an empty side labelled `label`.
  public init(label: String) { self.label = label }

  public func location(of path: String) -> String { "\(label):\(path)" }
  public func entry(at path: String) throws -> FileEntry? { nil }
  public func files(under directory: String) throws -> [FileEntry] { [] }
  public func contents(of entry: FileEntry) throws -> [UInt8] { [] }
}
