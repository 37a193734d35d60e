/// The files of one side of a comparison: a commit's tree, the index, or the working tree.
///
/// Paths are repository-relative with `/` separators. Contents are the bytes git stores, after
/// clean filters and end-of-line conversion, so all three kinds agree once a file is added.
public protocol Snapshot: AnyObject {
  /// How messages name this side: a revision, "the index" or "the working tree".
  var label: String { get }
  /// Where messages say a file of this side lives, in git's notation (`REV:path`, `:path`, `path`).
  func location(of path: String) -> String
  /// The entry at `path`, or nil when there is none (a directory is not an entry).
  func entry(at path: String) throws -> FileEntry?
  /// Every file below `directory` ("" for the root), recursively, sorted by path.
  func files(under directory: String) throws -> [FileEntry]
  /// The stored bytes of a regular file or executable, or the target of a symlink.
  func contents(of entry: FileEntry) throws -> [UInt8]
  /// The object id at `path` — a file's blob or a directory's tree, the root tree for "" — when
  /// this side is made of git objects: `.absent` when nothing is there, `.unknown` when the
  /// side cannot say (the index, the working tree).
  func objectID(at path: String) throws -> ObjectLookup
  /// The files that differ between the trees `old` and `new` found at `path` (see
  /// ``Repository/changedFiles(from:to:at:label:)``); nil when this side cannot say, and the
  /// caller should list the files in full.
  func changedFiles(from old: ObjectID, to new: ObjectID, at path: String) throws
    -> [ChangedFile]?
}

/// What a side knows of the object at a path.
public enum ObjectLookup: Hashable, Sendable {
  case object(ObjectID)
  case absent
  case unknown
}

extension Snapshot {
  public func objectID(at path: String) throws -> ObjectLookup { .unknown }

  public func changedFiles(from old: ObjectID, to new: ObjectID, at path: String) throws
    -> [ChangedFile]?
  { nil }
}
