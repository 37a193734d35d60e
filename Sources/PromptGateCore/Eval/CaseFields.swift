/// The members of a case that reading it looks at, found in one pass over its keys.
///
/// A large case file holds hundreds of thousands of small objects. Looking each field up on its
/// own, most of them absent, visited every key of the object once per field, a sixth of reading
/// the file (`benchmarks/parse_scale.py`). The keys are those of ``EvalCase/nativeKeys`` and
/// ``EvalCase/inspectKeys``; a test checks that the flags agree with those lists. It is never
/// copied (a copy retained each of its members): it is read where it is made.
struct CaseFields: ~Copyable {
  /// Every member.
  let all: [String: JSONValue]
  var id: JSONValue?
  var description: JSONValue?
  var vars: JSONValue?
  var assert: JSONValue?
  var metadata: JSONValue?
  var options: JSONValue?
  var threshold: JSONValue?
  var input: JSONValue?
  var target: JSONValue?
  var choices: JSONValue?
  /// Whether a key is not among a native case's.
  private(set) var hasOtherThanNative = false
  /// Whether a key is not among an Inspect sample's.
  private(set) var hasOtherThanInspect = false

  // Inlined, so that the fields are written where the caller keeps them, not copied there.
  @inline(__always)
  init(_ fields: [String: JSONValue]) {
    all = fields
    // The keys most cases have come first: each key is compared with the cases in order.
    for (key, value) in fields {
      switch key {
      case "vars":
        vars = value
        hasOtherThanInspect = true
      case "assert":
        assert = value
        hasOtherThanInspect = true
      case "id": id = value
      case "description":
        description = value
        hasOtherThanInspect = true
      case "input":
        input = value
        hasOtherThanNative = true
      case "target":
        target = value
        hasOtherThanNative = true
      case "metadata": metadata = value
      case "options":
        options = value
        hasOtherThanInspect = true
      case "threshold":
        threshold = value
        hasOtherThanInspect = true
      case "choices":
        choices = value
        hasOtherThanNative = true
      case "sandbox", "files", "setup": hasOtherThanNative = true
      default:
        hasOtherThanNative = true
        hasOtherThanInspect = true
      }
    }
  }

  /// Whether the case is an Inspect sample: it has `input` and no `vars`.
  var isInspectSample: Bool { input != nil && vars == nil }
}

/// The members of an assertion that reading it looks at, found in one pass over its keys, as
/// ``CaseFields`` finds a case's. The keys are ``Assertion/knownKeys``.
struct AssertionFields: ~Copyable {
  var type: JSONValue?
  var value: JSONValue?
  var description: JSONValue?
  var threshold: JSONValue?
  var weight: JSONValue?
  /// Whether a key is not among ``Assertion/knownKeys``.
  private(set) var hasUnknownKey = false

  @inline(__always)
  init(_ fields: [String: JSONValue]) {
    for (key, member) in fields {
      switch key {
      case "type": type = member
      case "value": value = member
      case "description": description = member
      case "threshold": threshold = member
      case "weight": weight = member
      case "metric": break
      default: hasUnknownKey = true
      }
    }
  }
}
