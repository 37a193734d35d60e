import Foundation

/// The checked value of a name or number component.
public enum ComponentValue {
  /// Why a value does not fit its component.
  public struct Mismatch: Error, Sendable {
    /// What is wrong with the value.
    public let reason: String
    /// What to write instead.
    public let fix: String
  }

  /// Checks `value` against `component`'s kind and returns its canonical JSON form: a string for
  /// the model, a number for the temperature (`"0.7"` reads as 0.7), a non-negative integer for
  /// `maxOutputTokens` (`"1024"` reads as 1024).
  public static func coerce(_ value: JSONValue, for component: Component) throws(Mismatch)
    -> JSONValue
  {
    switch component.kind {
    case .digest:
      return value
    case .name:
      switch value {
      case .string, .number, .bool: return .string(value.scalarText!)
      default:
        throw Mismatch(
          reason: "the model must be a name, not \(value.typeName)",
          fix: "point at the string that names it")
      }
    case .number:
      if let number = number(value) { return .number(number) }
      throw Mismatch(
        reason: "the temperature must be a number, not \(describe(value))",
        fix: "write a number such as 0.2")
    case .count:
      if let number = number(value), number >= 0, number.rounded() == number,
        number < 9.007_199_254_740_992e15
      {
        return .number(number)
      }
      throw Mismatch(
        reason: "maxOutputTokens must be a non-negative integer, not \(describe(value))",
        fix: "write a whole number such as 1024")
    }
  }

  private static func number(_ value: JSONValue) -> Double? {
    switch value {
    case .number(let number): return number
    case .string(let text):
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, let number = YAMLLoader.number(trimmed), number.isFinite else {
        return nil
      }
      return number
    default: return nil
    }
  }

  private static func describe(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): return "'\(text)'"
    case .number(let number): return CanonicalJSON.format(number) ?? "\(number)"
    default: return value.typeName
    }
  }
}
