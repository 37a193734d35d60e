import Foundation
import PromptGateCore

/// A function tool in a neutral form, read from a behavior's tool-schema files and written in
/// each API's own form.
struct ToolDefinition: Sendable, Hashable {
  /// The function's name.
  var name: String
  /// What it does, for the model.
  var description: String?
  /// The JSON Schema of its arguments.
  var parameters: JSONValue

  /// The schema of a tool that takes no arguments, for definitions that give none.
  static let emptyParameters = JSONValue.object([
    "type": .string("object"), "properties": .object([:]),
  ])

  /// The OpenAI form: `{type: function, function: {name, description, parameters}}`.
  var openAI: JSONValue {
    var function: [String: JSONValue] = ["name": .string(name), "parameters": parameters]
    if let description { function["description"] = .string(description) }
    return .object(["type": .string("function"), "function": .object(function)])
  }

  /// The Anthropic form: `{name, description, input_schema}`.
  var anthropic: JSONValue {
    var tool: [String: JSONValue] = ["name": .string(name), "input_schema": parameters]
    if let description { tool["description"] = .string(description) }
    return .object(tool)
  }

  /// The tools of every file in `files` (repository paths under `directory`), in order.
  static func load(files: [String], directory: String) throws(ConversationProblem)
    -> [ToolDefinition]
  {
    var tools: [ToolDefinition] = []
    for file in files {
      let bytes = try Conversation.read(file, in: directory, what: "tool-schema file")
      guard let value = JSONValue.decode(bytes) else {
        throw ConversationProblem("tool-schema file \(file) is not valid JSON")
      }
      tools += try parse(value, file: file)
    }
    return tools
  }

  /// The tools one file's JSON describes: an OpenAI tool, a bare definition, or a list of those.
  static func parse(_ value: JSONValue, file: String) throws(ConversationProblem)
    -> [ToolDefinition]
  {
    if let list = value.listContent {
      var tools: [ToolDefinition] = []
      for element in list { tools.append(try single(element, file: file)) }
      return tools
    }
    return [try single(value, file: file)]
  }

  /// One tool from an OpenAI tool object or a bare `{name, description, parameters}`.
  private static func single(_ value: JSONValue, file: String) throws(ConversationProblem)
    -> ToolDefinition
  {
    var body = value
    if value[member: "type"]?.stringContent == "function", let function = value[member: "function"]
    {
      body = function
    }
    guard body.isObject, let name = body[member: "name"]?.stringContent, !name.isEmpty else {
      throw ConversationProblem(
        "tool-schema file \(file): expected an OpenAI tool {type: function, function: {...}}, "
          + "a {name, description, parameters} object, or a list of those")
    }
    let parameters = body[member: "parameters"] ?? body[member: "input_schema"] ?? emptyParameters
    guard parameters.isObject else {
      throw ConversationProblem(
        "tool-schema file \(file): the parameters of \(name) are not an object")
    }
    return ToolDefinition(
      name: name, description: body[member: "description"]?.stringContent, parameters: parameters)
  }
}
