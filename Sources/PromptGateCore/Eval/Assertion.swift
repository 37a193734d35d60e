import Foundation

/// One check on a case's output, as written in a case file (`{type: icontains, value: refund}`).
public struct Assertion: Sendable, Hashable {
  /// What the assertion checks, with its parsed value.
  public enum Kind: Sendable, Hashable {
    /// A string is exact text equality; any other value means the output, parsed as JSON, equals it.
    case equals(JSONValue)
    /// `contains`/`icontains` (mode `.one`), `-any` and `-all` forms.
    case contains([String], mode: Match, caseInsensitive: Bool)
    /// The output matches the regular expression (ICU syntax, unanchored).
    case regex(String)
    /// The output starts with the text.
    case startsWith(String)
    /// The output parses as JSON, and validates against the schema when one is given.
    case isJSON(schema: JSONSchema?)
    /// The output parses as JSON and validates against the schema.
    case jsonSchema(JSONSchema)
    /// The output parses as JSON and the value at the pointer equals `value`.
    case jsonPointerEquals(pointer: JSONPointer, value: JSONValue)
    /// The model called the tool; given arguments must each deep-equal the call's.
    case toolCall(name: String, arguments: JSONValue?)
    /// The output's length in characters lies within the bounds.
    case length(min: Int?, max: Int?)
    /// The output's word count (promptfoo's: whitespace-separated runs) lies within the bounds.
    case wordCount(min: Int?, max: Int?)
    /// The output is within `maxDistance` edits (promptfoo's Levenshtein distance, over UTF-16
    /// code units) of the text.
    case levenshtein(String, maxDistance: Double)
    /// The call took at most this many milliseconds.
    case latency(maxMs: Double)
    /// The output cost at most this much, by the price table.
    case cost(max: Double)
    /// The output is a refusal (or empty).
    case isRefusal
    /// A program scores the output; the caller runs it.
    case command([String])
    /// A judge model scores the output against the rubric; the caller runs it.
    case rubric(String)

    /// How many of a `contains` assertion's strings must be present.
    public enum Match: Sendable, Hashable {
      /// The single string.
      case one
      /// At least one of them.
      case any
      /// Every one of them.
      case all
    }
  }

  /// The type as written, e.g. `not-icontains-any`.
  public let type: String
  /// What it checks.
  public let kind: Kind
  /// True for the `not-` form, which passes when the check fails.
  public let negated: Bool
  /// For `command` and `llm-rubric`, the score needed to pass (default 0.5); for `latency` and
  /// `cost`, their bound; nil otherwise.
  public let threshold: Double?
  /// The author's note on what the check is for.
  public let description: String?
  /// promptfoo's `weight`: how much the assertion counts in a case's weighted score, which
  /// decides the case only when it has a `threshold` (default 1).
  public var weight: Double = 1

  /// Creates an assertion directly (the case-file readers use ``parse(_:file:line:)``).
  public init(
    type: String, kind: Kind, negated: Bool = false, threshold: Double? = nil,
    description: String? = nil
  ) {
    self.type = type
    self.kind = kind
    self.negated = negated
    self.threshold = threshold
    self.description = description
  }

  /// The assertion types PromptGate knows, without the `not-` prefix.
  static let knownTypes = [
    "equals", "contains", "icontains", "contains-any", "contains-all", "icontains-any",
    "icontains-all", "regex", "starts-with", "is-json", "json-schema", "json-pointer", "tool-call",
    "length", "word-count", "levenshtein", "latency", "cost", "is-refusal", "command", "llm-rubric",
  ]

  /// The keys an assertion entry may have; promptfoo's `weight` counts in a case's weighted
  /// score (under a case `threshold`), and `metric` is a label.
  static let knownKeys = ["type", "value", "threshold", "description", "weight", "metric"]

  /// The pass mark of `command` and `llm-rubric` when none is written.
  public static let defaultScoreThreshold = 0.5
}
