import Foundation
import PromptGateCore

/// The fast path for the common native line: reads an event straight from the line's bytes,
/// without building a JSON tree, when the line is plain (documented keys once each, strings
/// without escapes or non-ASCII bytes, tools with only `name` and `error`). Anything else, and
/// every line it cannot read, returns nil, and the line goes through ``JSONNode`` and
/// ``NativeEventDecoder``, which give the same event or the reason the line is skipped. The
/// ids, models, routes, tenants and tool names it has seen are kept (a few of each), so that
/// a repeated value costs a comparison, not a string.
struct NativeEventScanner {
  private var ids: [([UInt8], BehaviorID)] = []
  private var names: [([UInt8], String)] = []

  /// How many distinct values of each kind are remembered.
  static let remembered = 16

  /// The event on `line`, or nil when the generic path must read it.
  mutating func event(_ line: UnsafeBufferPointer<UInt8>) -> TelemetryEvent? {
    var cursor = Cursor(bytes: line)
    return cursor.event(scanner: &self)
  }

  mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> BehaviorID? {
    for (known, id) in ids where known.elementsEqual(bytes) { return id }
    guard let id = BehaviorID(String(decoding: bytes, as: UTF8.self)) else { return nil }
    if ids.count < Self.remembered { ids.append((Array(bytes), id)) }
    return id
  }

  mutating func name(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    for (known, name) in names where known.elementsEqual(bytes) { return name }
    let name = String(decoding: bytes, as: UTF8.self)
    if names.count < Self.remembered * 4 { names.append((Array(bytes), name)) }
    return name
  }
}

/// A position in one line's bytes.
private struct Cursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var offset = 0

  var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

  mutating func skipWhitespace() {
    while offset < bytes.count {
      switch bytes[offset] {
      case 0x20, 0x09, 0x0A, 0x0D: offset += 1
      default: return
      }
    }
  }

  mutating func expect(_ byte: UInt8) -> Bool {
    skipWhitespace()
    guard current == byte else { return false }
    offset += 1
    return true
  }

  /// A string's bytes, when it has no escape, control or non-ASCII byte.
  mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
    skipWhitespace()
    guard current == UInt8(ascii: "\"") else { return nil }
    offset += 1
    let start = offset
    while offset < bytes.count {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        offset += 1
        return UnsafeBufferPointer(rebasing: bytes[start..<(offset - 1)])
      }
      if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
      offset += 1
    }
    return nil
  }

  /// `null`, `true` or `false`: nil for anything else; `.some(nil)` for null.
  mutating func literal() -> Bool?? {
    skipWhitespace()
    func matches(_ word: StaticString) -> Bool {
      let count = word.utf8CodeUnitCount
      guard offset + count <= bytes.count else { return false }
      for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return false }
      offset += count
      return true
    }
    switch current {
    case UInt8(ascii: "t"): return matches("true") ? .some(true) : nil
    case UInt8(ascii: "f"): return matches("false") ? .some(false) : nil
    case UInt8(ascii: "n"): return matches("null") ? .some(nil) : nil
    default: return nil
    }
  }

  /// A JSON number as ``JSONNode`` reads it (the same value, bit for bit), or nil.
  mutating func number() -> Double? {
    skipWhitespace()
    let start = offset
    if current == UInt8(ascii: "-") { offset += 1 }
    let integerStart = offset
    while let byte = current, byte >= 0x30, byte <= 0x39 { offset += 1 }
    let integerDigits = offset - integerStart
    guard integerDigits > 0 else { return nil }
    if bytes[integerStart] == UInt8(ascii: "0"), integerDigits > 1 { return nil }
    var simple = true
    if current == UInt8(ascii: ".") {
      simple = false
      offset += 1
      let first = offset
      while let byte = current, byte >= 0x30, byte <= 0x39 { offset += 1 }
      guard offset > first else { return nil }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      simple = false
      offset += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
      let first = offset
      while let byte = current, byte >= 0x30, byte <= 0x39 { offset += 1 }
      guard offset > first else { return nil }
    }
    if simple, offset - integerStart <= 15 {
      var total: Int64 = 0
      for index in integerStart..<offset { total = total * 10 + Int64(bytes[index] - 0x30) }
      return bytes[start] == UInt8(ascii: "-") ? -Double(total) : Double(total)
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    guard let number = Double(text), number.isFinite else { return nil }
    return number
  }

  /// A number that is an amount (≥ 0), or nil.
  mutating func amount() -> Double? {
    guard let number = number(), number >= 0 else { return nil }
    return number
  }

  /// A whole number of 0 or more, or nil.
  mutating func count() -> Int? {
    guard let number = number(), number >= 0, number < 1e15, number.rounded() == number else {
      return nil
    }
    return Int(number)
  }

  /// The keys the fast path reads, each with its bit for the duplicate check.
  enum Key: Int {
    case ts, behaviorId, traceId, model, latencyMs, inputTokens, outputTokens, costUsd, tools
    case retrievalCalls, refusal, fallback, userRetry, route, tenant

    static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> Key? {
      func equals(_ word: StaticString) -> Bool {
        word.utf8CodeUnitCount == bytes.count
          && memcmp(word.utf8Start, bytes.baseAddress!, bytes.count) == 0
      }
      switch bytes.count {
      case 2: return equals("ts") ? .ts : nil
      case 5:
        return equals("model") ? .model : equals("route") ? .route : equals("tools") ? .tools : nil
      case 6: return equals("tenant") ? .tenant : nil
      case 7:
        return equals("traceId")
          ? .traceId
          : equals("costUsd")
            ? .costUsd
            : equals("refusal") ? .refusal : nil
      case 8: return equals("fallback") ? .fallback : nil
      case 9: return equals("latencyMs") ? .latencyMs : equals("userRetry") ? .userRetry : nil
      case 10: return equals("behaviorId") ? .behaviorId : nil
      case 11: return equals("inputTokens") ? .inputTokens : nil
      case 12: return equals("outputTokens") ? .outputTokens : nil
      case 14: return equals("retrievalCalls") ? .retrievalCalls : nil
      default: return nil
      }
    }
  }

  mutating func event(scanner: inout NativeEventScanner) -> TelemetryEvent? {
    guard expect(UInt8(ascii: "{")) else { return nil }
    var seen = 0
    var timestamp: Int64?
    var behavior: BehaviorID?
    var event = TelemetryEvent(timestamp: 0, behaviorId: BehaviorID(digest: ""))
    skipWhitespace()
    if current == UInt8(ascii: "}") { return nil }
    while true {
      guard let keyBytes = plainString(), let key = Key.named(keyBytes) else { return nil }
      let bit = 1 << key.rawValue
      guard seen & bit == 0 else { return nil }
      seen |= bit
      guard expect(UInt8(ascii: ":")) else { return nil }
      skipWhitespace()
      if current == UInt8(ascii: "n") {
        guard case .some(nil) = literal() else { return nil }
      } else {
        switch key {
        case .ts:
          guard let millis = number(), millis >= 0, millis < 1e15 else { return nil }
          timestamp = Int64(millis)
        case .behaviorId:
          guard let text = plainString(), let id = scanner.id(text) else { return nil }
          behavior = id
        case .traceId:
          guard let text = plainString() else { return nil }
          event.traceId = String(decoding: text, as: UTF8.self)
        case .model:
          guard let text = plainString() else { return nil }
          event.model = scanner.name(text)
        case .route:
          guard let text = plainString() else { return nil }
          event.route = scanner.name(text)
        case .tenant:
          guard let text = plainString() else { return nil }
          event.tenant = scanner.name(text)
        case .latencyMs:
          guard let value = amount() else { return nil }
          event.latencyMs = value
        case .costUsd:
          guard let value = amount() else { return nil }
          event.costUsd = value
        case .inputTokens:
          guard let value = count() else { return nil }
          event.inputTokens = value
        case .outputTokens:
          guard let value = count() else { return nil }
          event.outputTokens = value
        case .retrievalCalls:
          guard let value = count() else { return nil }
          event.retrievalCalls = value
        case .refusal:
          guard case .some(.some(let flag)) = literal() else { return nil }
          event.refusal = flag
        case .fallback:
          guard case .some(.some(let flag)) = literal() else { return nil }
          event.fallback = flag
        case .userRetry:
          guard case .some(.some(let flag)) = literal() else { return nil }
          event.userRetry = flag
        case .tools:
          guard let tools = tools(scanner: &scanner) else { return nil }
          event.tools = tools
        }
      }
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): offset += 1
      case UInt8(ascii: "}"):
        offset += 1
        skipWhitespace()
        guard offset == bytes.count, let timestamp, let behavior else { return nil }
        event.timestamp = timestamp
        event.behaviorId = behavior
        return event
      default: return nil
      }
    }
  }

  /// `[{"name": ..., "error": ...}, ...]` with no other keys, or nil.
  mutating func tools(scanner: inout NativeEventScanner) -> [TelemetryToolCall]? {
    guard expect(UInt8(ascii: "[")) else { return nil }
    var calls: [TelemetryToolCall] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      offset += 1
      return calls
    }
    while true {
      guard expect(UInt8(ascii: "{")) else { return nil }
      var name: String?
      var failed = false
      var errorType: String?
      var seenError = false
      skipWhitespace()
      if current == UInt8(ascii: "}") { return nil }
      while true {
        guard let key = plainString(), expect(UInt8(ascii: ":")) else { return nil }
        if key.elementsEqual("name".utf8) {
          guard name == nil, let text = plainString() else { return nil }
          name = scanner.name(text)
        } else if key.elementsEqual("error".utf8) {
          guard !seenError else { return nil }
          seenError = true
          skipWhitespace()
          if current == UInt8(ascii: "\"") {
            guard let text = plainString() else { return nil }
            failed = true
            errorType = String(decoding: text, as: UTF8.self)
          } else {
            guard let flag = literal() else { return nil }
            failed = flag ?? false
          }
        } else {
          return nil
        }
        skipWhitespace()
        if current == UInt8(ascii: ",") {
          offset += 1
          continue
        }
        guard current == UInt8(ascii: "}") else { return nil }
        offset += 1
        break
      }
      guard let name else { return nil }
      calls.append(TelemetryToolCall(name: name, failed: failed, errorType: errorType))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): offset += 1
      case UInt8(ascii: "]"):
        offset += 1
        return calls
      default: return nil
      }
    }
  }
}
