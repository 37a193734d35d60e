/// A parsed `promptgate.yaml`: the behaviors, the eval sets that protect them, and global files.
public struct Mapping: Sendable {
  /// Where the mapping was read from, for messages.
  public let file: String
  /// The behaviors, in declaration order.
  public let behaviors: [BehaviorDefinition]
  /// The eval sets, in declaration order.
  public let evalSets: [EvalSetDefinition]
  /// Files whose change selects every eval set.
  public let global: [Glob]
  /// Providers, prices, caps and policies for running eval sets.
  public var gate = GateConfig()
  /// The outermost search roots of the behaviors' sources, worked out once: a history walk asks
  /// for them at every commit it resolves.
  let sourceRoots: [String]
  /// Each behavior's place in `behaviors`, by name (the first, when the file repeats one).
  let behaviorIndex: [String: Int]

  /// Creates a mapping.
  public init(
    file: String, behaviors: [BehaviorDefinition], evalSets: [EvalSetDefinition], global: [Glob]
  ) {
    self.file = file
    self.behaviors = behaviors
    self.evalSets = evalSets
    self.global = global
    // One set of roots, filled in place: behaviors repeat a few roots many times over.
    // The last root inserted is compared first: consecutive behaviors often share theirs.
    var roots: Set<String> = []
    var last: String?
    for behavior in behaviors {
      for source in behavior.sources.values {
        for glob in source.watchedPatterns where !glob.isNegated && glob.searchRoot != last {
          roots.insert(glob.searchRoot)
          last = glob.searchRoot
        }
      }
    }
    sourceRoots = Self.outermost(roots)
    var index: [String: Int] = [:]
    index.reserveCapacity(behaviors.count)
    for (offset, behavior) in behaviors.enumerated() where index[behavior.name] == nil {
      index[behavior.name] = offset
    }
    behaviorIndex = index
  }

  /// The behavior named `name`.
  public func behavior(named name: String) -> BehaviorDefinition? {
    behaviorIndex[name].map { behaviors[$0] }
  }

  /// The eval set named `name`.
  public func evalSet(named name: String) -> EvalSetDefinition? {
    evalSets.first { $0.name == name }
  }

  /// The environment variable that carries behavior `name`'s id (`version --format env`):
  /// `PROMPTGATE_BEHAVIOR_ID_` and the name upper-cased, every other character as `_`. Two
  /// behaviors with the same variable are a mapping error.
  public static func environmentVariable(for name: String) -> String {
    "PROMPTGATE_BEHAVIOR_ID_" + variableSuffix(for: name)
  }

  /// The part of ``environmentVariable(for:)`` after its prefix: two behaviors collide when
  /// theirs are equal. Short names give short strings, stored without an allocation.
  static func variableSuffix(for name: String) -> String {
    // Valid names are ASCII, whose upper case is one byte each: mapped byte by byte, without
    // the Unicode case tables `uppercased()` consults, into the string's own storage.
    if name.utf8.allSatisfy({ $0 < 0x80 }) {
      return String(unsafeUninitializedCapacity: name.utf8.count) { buffer in
        var offset = 0
        for byte in name.utf8 {
          switch byte {
          case UInt8(ascii: "a")...UInt8(ascii: "z"): buffer[offset] = byte - 0x20
          case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            buffer[offset] = byte
          default: buffer[offset] = UInt8(ascii: "_")
          }
          offset += 1
        }
        return offset
      }
    }
    var bytes: [UInt8] = []
    for scalar in name.uppercased().unicodeScalars {
      let isWord = ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
      bytes.append(isWord ? UInt8(scalar.value) : UInt8(ascii: "_"))
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Where something starts in the mapping file: 1-based line and column.
public struct Mark: Sendable, Hashable {
  /// The 1-based line.
  public let line: Int
  /// The 1-based column.
  public let column: Int

  /// Creates a mark.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}

/// One behavior's sources, one per component it declares.
///
/// Its fields are kept in one object: a large mapping's hundred thousand definitions are
/// copied into the mapping, its checks and its resolved states, and a copy then takes one
/// reference instead of one per field (`benchmarks/parse_scale.py`).
public struct BehaviorDefinition: Sendable {
  private final class Fields: Sendable {
    let name: String
    let sources: ComponentMap<Source>
    let messages: MessagesSpec?
    let sourceMarks: ComponentMap<Mark>

    init(
      name: String, sources: ComponentMap<Source>, messages: MessagesSpec?,
      sourceMarks: ComponentMap<Mark>
    ) {
      self.name = name
      self.sources = sources
      self.messages = messages
      self.sourceMarks = sourceMarks
    }
  }

  private let fields: Fields

  /// Creates a definition.
  init(
    name: String, sources: ComponentMap<Source>, messages: MessagesSpec? = nil,
    sourceMarks: ComponentMap<Mark> = ComponentMap()
  ) {
    fields = Fields(name: name, sources: sources, messages: messages, sourceMarks: sourceMarks)
  }

  /// The behavior's name, a key of `behaviors`.
  public var name: String { fields.name }
  /// The declared sources; a component left out resolves to null.
  public var sources: ComponentMap<Source> { fields.sources }
  /// How HTTP providers build messages for it (an eval set's own block wins).
  public var messages: MessagesSpec? { fields.messages }
  /// Where each source is written in the mapping file, for messages about it.
  public var sourceMarks: ComponentMap<Mark> { fields.sourceMarks }

  /// True when `other` declares the same sources and messages: what the definition means,
  /// however it is written (`prompt: a.md` and `prompt: [a.md]`, or a pointer in its short
  /// and long forms, are the same definition), and wherever in the file.
  public func declaresSame(as other: BehaviorDefinition) -> Bool {
    fields === other.fields || (sources == other.sources && messages == other.messages)
  }
}

/// One eval set: its tier, its cases, the files its harness reads and what it protects.
public struct EvalSetDefinition: Sendable {
  /// The set's name, a key of `evalSets`.
  public let name: String
  /// The tier (`fast`, `release`, ...).
  public let tier: String
  /// The repository path of the cases file.
  public let cases: String
  /// Files that belong to the set's definition (harness scripts, fixtures).
  public let files: [Glob]
  /// The components protected, by behavior name.
  public let protects: [String: Set<Component>]
  /// How its cases run and how its verdict is reached.
  public var run = EvalSetRun()
  /// The definition's canonical value, to tell when the mapping changed it.
  public let definition: JSONValue
  /// Where the set's name is written in the mapping file, for messages about it.
  public var mark: Mark?
}
