/// One file of a file-set component, as it was hashed.
public struct ResolvedFile: Hashable, Sendable, Codable {
  /// The repository path (a symlink's own path, not its target's).
  public let path: String
  /// The path relative to the matching pattern's base directory: the name that is hashed.
  public let relativePath: String
  /// The mode hashed: the target's, for a symlink.
  public let mode: String
  /// SHA-256 of the content (canonical JSON for structured policy files; an LFS object's id for
  /// a pointer; a gitlink's commit id).
  public let digest: String
}

/// A component's value at one side, and what it was computed from.
public struct ResolvedComponent: Hashable, Sendable {
  /// The tuple's field: a digest, a name, a number, or null.
  public let value: JSONValue
  /// The files of a file-set source (empty when resolved for versions only, as a history walk
  /// resolves them: see ``BehaviorResolver/listsFiles``).
  public let files: [ResolvedFile]?
  /// The value a pointer, regex or literal selected, before hashing.
  public let selected: JSONValue?
  /// The repository paths read: a file set's files', else those given when it was made.
  public var inputs: [String] { files.map { $0.map(\.path) } ?? otherInputs }
  /// The paths read by a source that is not a file set. A file set's are derived when asked:
  /// a history walk resolves thousands of sets of hundreds of files and never asks.
  private let otherInputs: [String]

  /// Creates a component's value; `inputs` is ignored with `files` (their paths are the inputs).
  init(value: JSONValue, files: [ResolvedFile]?, selected: JSONValue?, inputs: [String]) {
    self.value = value
    self.files = files
    self.selected = selected
    otherInputs = files == nil ? inputs : []
  }

  static let null = ResolvedComponent(value: .null, files: nil, selected: nil, inputs: [])
  /// A component that is not declared, or optional and matching nothing.
  public static var nullComponent: ResolvedComponent { null }
}

/// A behavior whose every required source resolved.
///
/// Its fields are kept in one object, as ``BehaviorDefinition``'s are: a side's states are
/// copied into the checks and renderers that read them, one reference each.
public struct ResolvedBehavior: Sendable {
  private final class Fields: Sendable {
    let name: String
    let version: BehaviorVersion
    let components: ComponentTable

    init(name: String, version: BehaviorVersion, components: ComponentTable) {
      self.name = name
      self.version = version
      self.components = components
    }
  }

  private let fields: Fields

  init(name: String, version: BehaviorVersion, components: ComponentTable) {
    fields = Fields(name: name, version: version, components: components)
  }

  /// The behavior's name.
  public var name: String { fields.name }
  /// Its version.
  public var version: BehaviorVersion { fields.version }
  /// Each component's value and inputs; every component is present (null when not declared).
  public var components: ComponentTable { fields.components }
}

/// A resolved value for each component, in the tuple's order; a component not declared reads
/// as null. Only declared components are stored (see ``ComponentMap``).
public struct ComponentTable: Sendable {
  private var declared = ComponentMap<ResolvedComponent>()

  /// A table with every component null, with room for `declared` components.
  init(declared count: Int = 0) { declared = ComponentMap(minimumCapacity: count) }

  /// The component's value; never nil (an undeclared component is null).
  public subscript(component: Component) -> ResolvedComponent? {
    get { declared[component] ?? .null }
    set { declared[component] = newValue }
  }

  /// The values, in the tuple's order.
  public var values: [ResolvedComponent] { Component.allCases.map { declared[$0] ?? .null } }
}

/// Why a behavior is absent at a side: a required source matched nothing.
public struct Absence: Sendable, Hashable, CustomStringConvertible {
  /// The component whose source matched nothing.
  public let component: Component
  /// The source, as written.
  public let source: String
  /// What matched nothing.
  public let reason: String

  public var description: String { "\(component.rawValue) (\(source)): \(reason)" }
}

/// A behavior at one side: present with a version, or absent.
public enum BehaviorState: Sendable {
  case present(ResolvedBehavior)
  case absent(Absence)

  /// The version when present.
  public var version: BehaviorVersion? {
    if case .present(let behavior) = self { return behavior.version }
    return nil
  }
}
