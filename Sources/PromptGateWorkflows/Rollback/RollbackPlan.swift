import GitKit
import PromptGateCore

/// What a rollback changes, component by component, before anything is written.
public struct RollbackPlan: Encodable, Sendable {
  /// One file of a file-set component.
  public struct FileStep: Encodable, Sendable, Equatable {
    public enum Action: String, Encodable, Sendable {
      /// The file exists and gets the version's content.
      case restore
      /// The file does not exist and is created.
      case add
      /// The file is not in the version and is removed.
      case remove
    }

    public let path: String
    public let action: Action

    /// Creates a step.
    public init(path: String, action: Action) {
      self.path = path
      self.action = action
    }
  }

  /// One value spliced into a file.
  public struct ValueStep: Encodable, Sendable, Equatable {
    public let file: String
    /// The 1-based line where the value is written.
    public let line: Int
    /// The JSON Pointer (`#/support/model`) or regex (`=~ /.../`) that selects it.
    public let selector: String
    public let old: JSONValue?
    public let new: JSONValue

    /// Creates a step.
    public init(file: String, line: Int, selector: String, old: JSONValue?, new: JSONValue) {
      self.file = file
      self.line = line
      self.selector = selector
      self.old = old
      self.new = new
    }
  }

  /// One component's part of the plan.
  public struct ComponentStep: Encodable, Sendable {
    public enum Status: String, Encodable, Sendable {
      /// Already the version's value.
      case unchanged
      /// Restored by the file and value steps.
      case restore
    }

    public let component: Component
    public var status: Status
    public var files: [FileStep] = []
    public var values: [ValueStep] = []
  }

  /// The behavior rolled back.
  public let behavior: String
  /// The version named, and how it was found.
  public let target: VersionTarget
  /// The working tree's version before the rollback; nil when the behavior is absent there.
  public let from: BehaviorID?
  /// The version restored.
  public let to: BehaviorID
  /// Every component, in the tuple's order.
  public var components: [ComponentStep]
  /// The contents each touched path gets (nil: removed), in the order they are written.
  var writes: [PathWrite] = []
  /// The version restored, field by field.
  var version = BehaviorVersion()

  /// The repository paths the rollback writes or removes.
  public var paths: [String] { writes.map(\.path) }

  /// True when the working tree already has the version.
  public var isNoOp: Bool { writes.isEmpty }

  enum CodingKeys: String, CodingKey { case behavior, target, from, to, components, paths }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(behavior, forKey: .behavior)
    try container.encode(target, forKey: .target)
    try container.encode(from, forKey: .from)
    try container.encode(to, forKey: .to)
    try container.encode(components, forKey: .components)
    try container.encode(paths, forKey: .paths)
  }
}

/// What one path gets: new contents and mode, or removal.
struct PathWrite: Sendable {
  let path: String
  var contents: [UInt8]?
  var mode: FileMode
}
