/// How git records a path: the mode bits of a tree or index entry.
public enum FileMode: UInt32, Sendable, Codable {
  case regular = 0o100644
  case executable = 0o100755
  case symlink = 0o120000
  case gitlink = 0o160000

  /// The six octal digits git prints.
  public var octal: String { String(rawValue, radix: 8) }

  init?(gitMode: UInt32) {
    switch gitMode {
    case 0o100644, 0o100664: self = .regular
    case 0o100755: self = .executable
    case 0o120000: self = .symlink
    case 0o160000: self = .gitlink
    default: return nil
    }
  }
}

/// One file of a snapshot: its repository-relative path, mode and, where git has one, its id.
public struct FileEntry: Hashable, Sendable {
  /// The path relative to the repository root, with `/` separators.
  public let path: String
  /// The entry's mode.
  public let mode: FileMode
  /// The blob id (a commit id for a gitlink); nil for a working-tree file not yet hashed.
  public let id: ObjectID?

  /// Creates an entry.
  public init(path: String, mode: FileMode, id: ObjectID?) {
    self.path = path
    self.mode = mode
    self.id = id
  }
}
