/// The behaviour one side runs: its version and where its component files were materialised.
public struct BehaviorRun: Sendable {
  /// The behavior's name.
  public let name: String
  /// The version id (`pgv1-...`).
  public let id: String
  /// The model name, when the behavior sets one.
  public let model: String?
  /// Decoding settings, when set.
  public let temperature: Double?
  public let maxOutputTokens: Int?
  /// A directory holding the behavior's component files at their repository-relative paths.
  public let directory: String
  /// Repository paths of the prompt files, sorted.
  public let promptFiles: [String]
  /// Repository paths of the tool-schema files, sorted.
  public let toolSchemaFiles: [String]

  /// Creates a run description.
  public init(
    name: String, id: String, model: String?, temperature: Double?, maxOutputTokens: Int?,
    directory: String, promptFiles: [String], toolSchemaFiles: [String]
  ) {
    self.name = name
    self.id = id
    self.model = model
    self.temperature = temperature
    self.maxOutputTokens = maxOutputTokens
    self.directory = directory
    self.promptFiles = promptFiles
    self.toolSchemaFiles = toolSchemaFiles
  }
}

/// How the HTTP providers build a conversation: the system message from a prompt file, the user
/// message from a template over the case's variables.
public struct MessagesSpec: Sendable, Hashable {
  /// Repository path of the prompt file sent as the system message, if any.
  public let system: String?
  /// The user message template (`{{name}}` placeholders; see docs/gate.md).
  public let user: String

  /// Creates a spec.
  public init(system: String?, user: String) {
    self.system = system
    self.user = user
  }
}

/// One call: a case, the behaviour to run it against, and where the harness files are.
public struct ProviderRequest: Sendable {
  /// The case's id.
  public let caseID: String
  /// The case's variables.
  public let vars: [String: JSONValue]
  /// The behaviour.
  public let behavior: BehaviorRun
  /// How to build messages (HTTP providers; nil for exec).
  public let messages: MessagesSpec?
  /// The directory holding the head's copy of the eval set's cases and files.
  public let harnessDirectory: String
  /// Which repeat this is (0-based).
  public let repeatIndex: Int

  /// Creates a request.
  public init(
    caseID: String, vars: [String: JSONValue], behavior: BehaviorRun, messages: MessagesSpec?,
    harnessDirectory: String, repeatIndex: Int
  ) {
    self.caseID = caseID
    self.vars = vars
    self.behavior = behavior
    self.messages = messages
    self.harnessDirectory = harnessDirectory
    self.repeatIndex = repeatIndex
  }
}

/// Why a call produced no output. Every case is "could not evaluate" (exit 3), never a failed
/// case: a failed case is an output that fails its assertions.
public struct ProviderError: Error, Sendable, CustomStringConvertible {
  /// The provider's name in the mapping file.
  public let provider: String
  /// What went wrong, with no secret in it.
  public let message: String

  /// Creates an error.
  public init(provider: String, _ message: String) {
    self.provider = provider
    self.message = message
  }

  public var description: String { "provider \(provider): \(message)" }
}

/// Runs one case against one behaviour.
public protocol Provider: Sendable {
  /// Calls the model (or harness) once, with the provider's own retries and timeout.
  func complete(_ request: ProviderRequest) async throws -> ProviderOutput
}
