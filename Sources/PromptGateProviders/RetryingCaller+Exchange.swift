import NIOCore
import NIOHTTP1
import PromptGateCore

extension RetryingCaller {
  /// One call as both HTTP providers make it: the conversation built from `request`, the body
  /// `encode` makes of it POSTed with `headers`, the JSON answer read by `parse`, and the whole
  /// call's latency recorded. Every failure comes back as this provider's error, keys scrubbed.
  func exchange(
    _ request: ProviderRequest, definition: ProviderDefinition, url: String, headers: HTTPHeaders,
    encode: (Conversation) -> JSONValue,
    parse: (JSONValue) throws(ConversationProblem) -> ProviderOutput
  ) async throws(ProviderError) -> ProviderOutput {
    let conversation: Conversation
    do {
      conversation = try Conversation(request, definition: definition)
    } catch {
      throw failure(error.message)
    }
    let delivery = try await post(url: url, headers: headers, body: encode(conversation).wireBytes)
    guard let value = JSONValue.decode(delivery.body.readableBytesView) else {
      throw failure(
        "the answer from \(url) is not JSON: "
          + ResponseText.truncate(String(buffer: delivery.body), limit: 200))
    }
    do {
      var output = try parse(value)
      output.latencyMs = delivery.latencyMs
      return output
    } catch {
      throw failure("the answer from \(url) \(error.message)")
    }
  }
}
