import Foundation
import GitKit
import PromptGateCore

/// One eval set's result, as a release records it.
public struct ReleaseEval: Codable, Equatable, Sendable {
  public let evalSet: String
  public let tier: String
  /// `pass` or `regressed` (a release only records passing runs).
  public let verdict: String
  public let headPassed: Int
  public let headCases: Int
  public let headPassRate: Double
  public let baselinePassed: Int?
  public let baselineCases: Int?

  /// The summary of `set`.
  public init(_ set: SetVerdict) {
    evalSet = set.evalSet
    tier = set.tier
    verdict = set.regressed ? "regressed" : "pass"
    headPassed = set.headPassed
    headCases = set.headCases
    headPassRate = set.headPassRate
    baselinePassed = set.baselinePassed
    baselineCases = set.baselineCases
  }
}

/// A release: an annotated tag `promptgate/<behavior>/<short id>` on the released commit, whose
/// message holds the behavior, the full id, the commit, the tier, the baseline, the tuple and the
/// eval summary in `PromptGate-*: value` lines that ``parse(_:commitTime:)`` reads back.
public struct ReleaseRecord: Encodable, Sendable {
  /// The tag's name, without `refs/tags/`.
  public let tag: String
  public let behavior: String
  public let id: BehaviorID
  /// The released commit (40 hex digits).
  public let commit: String
  /// The tier that gated it.
  public let tier: String?
  /// The commit the release tier compared with (the previous release's); nil for a first one.
  public let baseline: String?
  /// The version's tuple, as `promptgate version --format json` prints it.
  public let tuple: JSONValue
  public let evals: [ReleaseEval]
  /// Sets released without being evaluated (`--allow-unevaluated`).
  public var allowedUnevaluated: [String] = []
  /// Who tagged it and when (nil only for a tag without a tagger).
  public let tagger: GitSignature?
  /// The released commit's committer time, to order releases tagged in the same second.
  public let commitTime: Int64

  /// The namespace of release tags.
  public static let tagPrefix = "promptgate/"

  /// The tag that records the release of `id` for `behavior`.
  public static func tagName(behavior: String, id: BehaviorID) -> String {
    "\(tagPrefix)\(behavior)/\(id.short)"
  }

  /// The tag message for a release.
  static func message(
    behavior: String, version: BehaviorVersion, commit: String, tier: String?, baseline: String?,
    evals: [ReleaseEval], allowedUnevaluated: [String] = []
  ) throws -> String {
    var lines = [
      "promptgate release \(behavior) \(version.id.full)", "",
      "PromptGate-Behavior: \(behavior)",
      "PromptGate-Id: \(version.id.full)",
      "PromptGate-Commit: \(commit)",
      "PromptGate-Tier: \(tier ?? "all")",
      "PromptGate-Baseline: \(baseline ?? "none")",
      "PromptGate-Tuple: \(try CanonicalJSON.serialize(version.tuple))",
    ]
    for eval in evals {
      let value = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(eval))
      lines.append("PromptGate-Eval: \(try CanonicalJSON.serialize(value))")
    }
    if !allowedUnevaluated.isEmpty {
      lines.append("PromptGate-Allowed-Unevaluated: \(allowedUnevaluated.joined(separator: ", "))")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Why a tag is not a readable release.
  struct Unreadable: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// Reads the release a tag records; throws ``Unreadable`` saying why it is not one.
  static func parse(_ tag: GitTag, commitTime: Int64) throws -> ReleaseRecord {
    guard let message = tag.message else { throw Unreadable("a lightweight tag, not a release") }
    let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let title = lines.first?.split(separator: " ").map(String.init) ?? []
    guard title.count == 4, title[0] == "promptgate", title[1] == "release" else {
      throw Unreadable("its message does not start with 'promptgate release BEHAVIOR ID'")
    }
    var fields: [String: String] = [:]
    var evals: [ReleaseEval] = []
    for line in lines.dropFirst() where line.hasPrefix("PromptGate-") {
      guard let colon = line.range(of: ": ") else { continue }
      let key = String(line[line.index(line.startIndex, offsetBy: 11)..<colon.lowerBound])
      let value = String(line[colon.upperBound...])
      if key == "Eval" {
        guard let eval = try? JSONDecoder().decode(ReleaseEval.self, from: Data(value.utf8)) else {
          throw Unreadable("a PromptGate-Eval line is not an eval summary")
        }
        evals.append(eval)
      } else if fields[key] == nil {
        fields[key] = value
      }
    }
    for key in ["Behavior", "Id", "Commit", "Tuple"] where fields[key] == nil {
      throw Unreadable("its message has no PromptGate-\(key) line")
    }
    guard let behavior = fields["Behavior"], let id = fields["Id"].flatMap(BehaviorID.init),
      title[2] == behavior, title[3] == id.full
    else {
      throw Unreadable("its title and its PromptGate-Behavior/PromptGate-Id lines disagree")
    }
    guard tag.name == tagName(behavior: behavior, id: id) else {
      throw Unreadable("its name is not \(tagName(behavior: behavior, id: id))")
    }
    guard fields["Commit"] == tag.target.hex else {
      throw Unreadable("it points at \(tag.target.hex), not the commit its message names")
    }
    guard let tupleText = fields["Tuple"],
      let tuple = try? JSONDecoder().decode(JSONValue.self, from: Data(tupleText.utf8)),
      let version = BehaviorVersion(tuple: tuple), version.id == id
    else {
      throw Unreadable("its PromptGate-Tuple is not the tuple of \(id.full)")
    }
    let baseline = fields["Baseline"].flatMap { $0 == "none" ? nil : $0 }
    let tier = fields["Tier"].flatMap { $0 == "all" ? nil : $0 }
    let allowed = (fields["Allowed-Unevaluated"] ?? "").split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
    return ReleaseRecord(
      tag: tag.name, behavior: behavior, id: id, commit: tag.target.hex, tier: tier,
      baseline: baseline, tuple: version.tuple, evals: evals, allowedUnevaluated: allowed,
      tagger: tag.tagger, commitTime: commitTime)
  }

  /// Newer first: by tagger time, then the released commit's time, then name.
  static func newerFirst(_ left: ReleaseRecord, _ right: ReleaseRecord) -> Bool {
    let (leftTime, rightTime) = (left.tagger?.time ?? 0, right.tagger?.time ?? 0)
    if leftTime != rightTime { return leftTime > rightTime }
    if left.commitTime != right.commitTime { return left.commitTime > right.commitTime }
    return left.tag < right.tag
  }

  /// Every readable release in `repository` (of `behavior` when given), newest first; each tag
  /// under `promptgate/` that is not one adds a warning.
  public static func all(in repository: Repository, behavior: String? = nil) throws -> (
    [ReleaseRecord], warnings: [String]
  ) {
    let prefix = tagPrefix + (behavior.map { $0 + "/" } ?? "")
    var records: [ReleaseRecord] = []
    var warnings: [String] = []
    for tag in try repository.tags(prefix: prefix) {
      do {
        let time = try repository.commit(tag.target).time
        let record = try parse(tag, commitTime: time)
        if behavior == nil || record.behavior == behavior { records.append(record) }
      } catch let error as Unreadable {
        warnings.append("tag \(tag.name) is skipped: \(error.description)")
      }
    }
    return (records.sorted(by: newerFirst), warnings)
  }

  enum CodingKeys: String, CodingKey {
    case tag, behavior, id, commit, tier, baseline, tuple, evals, allowedUnevaluated, tagger
  }

  private struct Tagger: Encodable {
    let name: String
    let email: String
    let date: String
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(tag, forKey: .tag)
    try container.encode(behavior, forKey: .behavior)
    try container.encode(id, forKey: .id)
    try container.encode(commit, forKey: .commit)
    try container.encode(tier, forKey: .tier)
    try container.encode(baseline, forKey: .baseline)
    try container.encode(tuple, forKey: .tuple)
    try container.encode(evals, forKey: .evals)
    if !allowedUnevaluated.isEmpty {
      try container.encode(allowedUnevaluated, forKey: .allowedUnevaluated)
    }
    try container.encode(
      tagger.map { Tagger(name: $0.name, email: $0.email, date: $0.isoDate) }, forKey: .tagger)
  }
}
