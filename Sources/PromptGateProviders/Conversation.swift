import Foundation
import PromptGateCore

/// Everything one call sends, whatever the API: built from a request and the provider.
struct Conversation: Sendable {
  /// The model to ask.
  var model: String
  /// The system message, when the behavior has one.
  var system: String?
  /// The user message.
  var user: String
  /// Sampling temperature, when set.
  var temperature: Double?
  /// The most tokens to generate, when set.
  var maxOutputTokens: Int?
  /// Tools the model may call.
  var tools: [ToolDefinition]

  /// The conversation for `request`: the model from `definition` or the behavior, the system
  /// message from its prompt file, the user message from its template, the tools from its
  /// schema files.
  init(_ request: ProviderRequest, definition: ProviderDefinition) throws(ConversationProblem) {
    let behavior = request.behavior
    guard let model = definition.model ?? behavior.model, !model.isEmpty else {
      throw ConversationProblem(
        "no model: behavior \(behavior.name) sets none and the provider does not pin one")
    }
    self.model = model
    temperature = behavior.temperature
    maxOutputTokens = behavior.maxOutputTokens
    if let messages = request.messages {
      if let path = messages.system {
        let bytes = try Self.read(path, in: behavior.directory, what: "system prompt file")
        system = String(decoding: bytes, as: UTF8.self)
      }
      do {
        user = try Template.render(messages.user, vars: request.vars)
      } catch {
        throw ConversationProblem("case \(request.caseID): \(error)")
      }
    } else {
      guard case .string(let input)? = request.vars["input"] else {
        throw ConversationProblem(
          "case \(request.caseID) has no string variable 'input' to send as the user message; "
            + "add a `messages:` block (system prompt file and user template) to the eval set")
      }
      user = input
    }
    tools = try ToolDefinition.load(files: behavior.toolSchemaFiles, directory: behavior.directory)
  }

  /// The bytes of the repository path `path` under `directory`.
  static func read(_ path: String, in directory: String, what: String) throws(ConversationProblem)
    -> Data
  {
    let full = directory.hasSuffix("/") ? directory + path : directory + "/" + path
    guard let data = FileManager.default.contents(atPath: full) else {
      throw ConversationProblem("cannot read the \(what) \(path) of the behavior")
    }
    return data
  }
}

/// Why a conversation could not be built (a missing file, model or variable): the message of a
/// ``ProviderError``.
struct ConversationProblem: Error, Sendable {
  /// What went wrong.
  let message: String

  /// Creates a problem.
  init(_ message: String) { self.message = message }
}
