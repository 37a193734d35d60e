/// One leaf that differs between two JSON values, named by its JSON Pointer.
public struct ValueChange: Hashable, Sendable, Codable {
  /// Where the leaf is, as a JSON Pointer into the selected value.
  public let pointer: String
  /// The old value; absent when the leaf was added.
  public let old: JSONValue?
  /// The new value; absent when the leaf was removed.
  public let new: JSONValue?

  /// How many leaves a diff shows for one value or file before it says how many more differ.
  public static let displayLimit = 20

  /// The leaves that differ between `old` and `new`, at most `limit` of them.
  public static func between(_ old: JSONValue, _ new: JSONValue, limit: Int = displayLimit)
    -> [ValueChange]
  {
    var changes: [ValueChange] = []
    collect(old, new, path: [], into: &changes, limit: limit)
    return changes
  }

  /// The leaves a diff shows (at most ``displayLimit``) and how many more differ.
  public static func shown(_ old: JSONValue, _ new: JSONValue) -> (
    values: [ValueChange], omitted: Int
  ) {
    var changes: [ValueChange] = []
    collect(old, new, path: [], into: &changes, limit: .max)
    return (Array(changes.prefix(displayLimit)), max(0, changes.count - displayLimit))
  }

  private static func collect(
    _ old: JSONValue?, _ new: JSONValue?, path: [String], into changes: inout [ValueChange],
    limit: Int
  ) {
    guard changes.count < limit, old != new else { return }
    switch (old, new) {
    case (.object(let before)?, .object(let after)?):
      for key in Set(before.keys).union(after.keys).sorted() {
        collect(before[key], after[key], path: path + [key], into: &changes, limit: limit)
      }
    case (.array(let before)?, .array(let after)?) where before.count == after.count:
      for index in before.indices {
        collect(
          before[index], after[index], path: path + [String(index)], into: &changes, limit: limit)
      }
    default:
      changes.append(
        ValueChange(pointer: JSONPointer(tokens: path).description, old: old, new: new))
    }
  }
}

/// The leaves that differ in one modified JSON or YAML file of a file-set component.
public struct FileValueChanges: Hashable, Sendable, Codable {
  /// The file's repository path.
  public let path: String
  /// The first leaves that differ, at most ``ValueChange/displayLimit``.
  public let values: [ValueChange]
  /// How many more leaves differ than ``values`` lists.
  public let omitted: Int

  /// The leaves that differ between two versions of the file at `path`.
  public init(path: String, old: JSONValue, new: JSONValue) {
    self.path = path
    (values, omitted) = ValueChange.shown(old, new)
  }
}
