import Foundation

/// The JSON the loopback server reads and writes, for both APIs.
enum LoopbackWire {
  /// The API a request path belongs to, or nil for any other path.
  static func api(forPath path: String) -> LoopbackAPI? {
    let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
    switch route {
    case "/v1/chat/completions", "/chat/completions": return .openAI
    case "/v1/messages", "/messages": return .anthropic
    default: return nil
    }
  }

  /// What a request body asks, or nil when it is not a JSON object.
  static func chatRequest(_ body: [UInt8], api: LoopbackAPI) -> ChatRequest? {
    guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    else { return nil }
    let messages = object["messages"] as? [[String: Any]] ?? []
    var system = messages.first { $0["role"] as? String == "system" }.flatMap {
      text(of: $0["content"])
    }
    if api == .anthropic { system = text(of: object["system"]) }
    let user = messages.last { $0["role"] as? String == "user" }.flatMap { text(of: $0["content"]) }
    let tools = object["tools"] as? [[String: Any]] ?? []
    let toolNames = tools.compactMap { tool in
      (tool["function"] as? [String: Any])?["name"] as? String ?? tool["name"] as? String
    }
    return ChatRequest(
      api: api, model: object["model"] as? String, system: system, user: user,
      temperature: (object["temperature"] as? NSNumber)?.doubleValue,
      maxTokens: (object["max_tokens"] as? NSNumber)?.intValue, toolNames: toolNames)
  }

  /// The text of a message content: a string, or the text parts of a list of blocks.
  private static func text(of content: Any?) -> String? {
    if let text = content as? String { return text }
    guard let parts = content as? [[String: Any]] else { return nil }
    return parts.compactMap { $0["text"] as? String }.joined()
  }

  /// Words in `text`: the loopback server's token count.
  static func tokens(_ text: String?) -> Int {
    text?.split(whereSeparator: { $0.isWhitespace }).count ?? 0
  }

  /// The body of a successful answer to `request` in its API's form.
  static func answerBody(_ answer: ScriptedAnswer, to request: ChatRequest, serial: Int) -> [UInt8]
  {
    let model = answer.model ?? request.model ?? "loopback-model"
    let input = tokens(request.system) + tokens(request.user)
    let output = tokens(answer.text)
    var body: [String: Any]
    switch request.api {
    case .openAI:
      var message: [String: Any] = ["role": "assistant"]
      message["content"] =
        answer.text.isEmpty && !answer.toolCalls.isEmpty ? NSNull() : answer.text as Any
      if !answer.toolCalls.isEmpty {
        message["tool_calls"] = answer.toolCalls.enumerated().map { index, call in
          [
            "id": "call_\(serial)_\(index)", "type": "function",
            "function": ["name": call.name, "arguments": call.argumentsJSON],
          ] as [String: Any]
        }
      }
      let choice: [String: Any] = [
        "index": 0, "message": message,
        "finish_reason": answer.toolCalls.isEmpty ? "stop" : "tool_calls",
      ]
      body = [
        "id": "chatcmpl-\(serial)", "object": "chat.completion", "created": 1_767_268_800,
        "model": model, "choices": [choice],
      ]
      if !answer.omitUsage {
        body["usage"] = [
          "prompt_tokens": input, "completion_tokens": output, "total_tokens": input + output,
        ]
      }
    case .anthropic:
      var blocks: [[String: Any]] = []
      if !answer.text.isEmpty { blocks.append(["type": "text", "text": answer.text]) }
      for (index, call) in answer.toolCalls.enumerated() {
        let input = (try? JSONSerialization.jsonObject(with: Data(call.argumentsJSON.utf8))) ?? [:]
        blocks.append([
          "type": "tool_use", "id": "toolu_\(serial)_\(index)", "name": call.name, "input": input,
        ])
      }
      body = [
        "id": "msg_\(serial)", "type": "message", "role": "assistant", "model": model,
        "content": blocks, "stop_reason": answer.toolCalls.isEmpty ? "end_turn" : "tool_use",
      ]
      if !answer.omitUsage { body["usage"] = ["input_tokens": input, "output_tokens": output] }
    }
    return serialize(body)
  }

  /// An error body in the API's form (both use `error.message`).
  static func errorBody(_ message: String, type: String) -> [UInt8] {
    serialize(["type": "error", "error": ["type": type, "message": message]])
  }

  /// Compact JSON bytes for `object`.
  static func serialize(_ object: [String: Any]) -> [UInt8] {
    Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
  }
}
