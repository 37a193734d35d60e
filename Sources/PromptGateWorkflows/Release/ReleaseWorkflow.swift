import Foundation
import GitKit
import PromptGateCore

/// One `promptgate release`: finds the behaviors whose version has no release yet, gates the
/// release tier for them against their last release, and tags them when it passes.
public struct ReleaseWorkflow {
  public let workspace: Workspace
  public let revision: String
  public let tier: String?
  public let behavior: String?
  public let storePath: String?
  public let maxCalls: Int?
  public let maxCost: Double?
  public let push: ReleasePush?
  /// Tag even when sets could not be evaluated; the tag names them.
  public var allowUnevaluated = false
  /// Whose definitions the release's gates run (see ``GateWorkflow/Inputs/trust``).
  public var trust = CodeTrust.from(
    environment: ProcessInfo.processInfo.environment, trustHeadCode: false)

  /// Creates a release of `revision` (its behaviors, or only `behavior`).
  public init(
    workspace: Workspace, revision: String, tier: String?, behavior: String?, storePath: String?,
    maxCalls: Int?, maxCost: Double?, push: ReleasePush?
  ) {
    self.workspace = workspace
    self.revision = revision
    self.tier = tier
    self.behavior = behavior
    self.storePath = storePath
    self.maxCalls = maxCalls
    self.maxCost = maxCost
    self.push = push
  }

  /// What happened to one behavior.
  public enum Status: String, Encodable, Sendable {
    /// Tagged now.
    case released
    /// Its version already has its tag.
    case alreadyReleased
    /// Its release tier regressed: nothing was tagged.
    case regressed
    /// Its release tier could not be evaluated: nothing was tagged.
    case notEvaluated
    /// Its own gate passed, but another behavior's failed, so nothing was released.
    case held
    /// Still to be decided (never in a finished report).
    case pending
  }

  /// What became of a tag's push.
  public enum PushStatus: String, Encodable, Sendable {
    case pushed
    case lostRace
  }

  /// The whole run's outcome.
  public enum OverallStatus: String, Encodable, Sendable {
    case released, alreadyReleased, nothing, regressed, notEvaluated
  }

  /// One behavior's line in the report.
  public struct Entry: Encodable, Sendable {
    public var status: Status
    public let behavior: String
    public let id: BehaviorID
    public let tag: String
    /// The commit the release is at: REV, or the first release's commit.
    public var commit: String
    /// The commit the release tier compared with; nil when there was none to compare with.
    public let baseline: String?
    public var evals: [ReleaseEval] = []
    /// Sets that could not be evaluated and were let through by `--allow-unevaluated`.
    public var allowedUnevaluated: [String] = []
    /// With `--push`.
    public var push: PushStatus?
    /// With a lost race: the commit the remote's tag points at.
    public var remoteCommit: String?
  }

  /// The whole run, for `--format json`.
  public struct Report: Encodable, Sendable {
    public let schemaVersion = 1
    public var status: OverallStatus
    public let commit: String
    public let tier: String?
    public var behaviors: [Entry]
    public var gates: [GateResult]
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
      case schemaVersion, status, commit, tier, behaviors, gates, warnings
    }
  }

  /// Why a release tagged nothing new, or could not push.
  public enum Failure: Sendable, Equatable {
    /// These release-tier sets regressed; nothing was released.
    case regressed([String])
    /// These sets could not be evaluated; nothing was released.
    case notEvaluated([String])
    /// A push failed for another reason than a lost race.
    case pushFailed(remote: String)
  }

  /// Decides, gates and tags; returns the report and the failure, if any.
  public func run() async throws -> (Report, Failure?) {
    let repository = workspace.repository
    let commit = try repository.resolveCommit(revision)
    let state = try workspace.state(of: .revision(commit.hex))
    guard let mapping = state.mapping else {
      throw Diagnostic(
        file: MappingParser.fileName, "\(revision) has no promptgate.yaml: nothing to release",
        fix: "add promptgate.yaml at the repository root, or pass --config PATH")
    }
    if let behavior, state.state(of: behavior) == nil {
      let names = mapping.behaviors.map(\.name).joined(separator: ", ")
      throw PromptGateError(
        .usage, "no behavior '\(behavior)' at \(revision) (it defines: \(names))")
    }
    let (records, warnings) = try ReleaseRecord.all(in: repository)
    var report = Report(
      status: .alreadyReleased, commit: commit.hex, tier: tier, behaviors: [], gates: [],
      warnings: warnings)
    var pending: [(entry: Int, version: BehaviorVersion)] = []
    for (name, behaviorState) in state.behaviors where behavior == nil || behavior == name {
      guard let version = behaviorState.version else {
        report.warnings.append("\(name) is absent at \(revision): nothing to release")
        continue
      }
      let tag = ReleaseRecord.tagName(behavior: name, id: version.id)
      guard repository.isValidTagName(tag) else {
        throw PromptGateError(
          .configuration, "'\(tag)' is not a valid tag name: rename the behavior '\(name)'")
      }
      let mine = records.filter { $0.behavior == name }
      if let existing = try repository.tag(named: tag) {
        guard let record = mine.first(where: { $0.tag == tag }), record.id == version.id else {
          throw PromptGateError(
            .usage,
            "tag \(tag) exists but does not record the release of \(version.id.full); "
              + "move it out of the way (git tag -d \(tag)) if it is not a release")
        }
        report.behaviors.append(
          Entry(
            status: .alreadyReleased, behavior: name, id: version.id, tag: tag,
            commit: existing.target.hex, baseline: record.baseline, evals: record.evals))
        continue
      }
      // The baseline is the behavior's last release; before its first, the merge-base with the
      // default branch (the one rule for the base of a new branch), unless that is this commit.
      report.behaviors.append(
        Entry(
          status: .pending, behavior: name, id: version.id, tag: tag, commit: commit.hex,
          baseline: mine.first?.commit ?? firstBaseline(of: commit)))
      pending.append((report.behaviors.count - 1, version))
    }
    if pending.isEmpty {
      report.status = report.behaviors.isEmpty ? .nothing : .alreadyReleased
      let pushFailure = try pushAll(&report)
      return (report, pushFailure)
    }
    // Fail on a missing identity or remote before spending anything on evaluation.
    let tagger = try repository.committerSignature()
    try push?.validate()
    var regressed: [String] = []
    var unevaluated: [String] = []
    // One gate per baseline: behaviors last released at the same commit are gated together.
    var baselines: [String?] = []
    for (index, _) in pending where !baselines.contains(report.behaviors[index].baseline) {
      baselines.append(report.behaviors[index].baseline)
    }
    for baseline in baselines {
      let members = pending.map(\.entry).filter { report.behaviors[$0].baseline == baseline }
      var inputs = GateWorkflow.Inputs(
        base: baseline.map { .revision($0) } ?? .empty, head: .revision(commit.hex), tier: tier,
        storePath: storePath)
      inputs.maxCalls = maxCalls
      inputs.maxCost = maxCost
      inputs.behaviors = Set(members.map { report.behaviors[$0].behavior })
      inputs.trust = trust
      let result = try await GateWorkflow(workspace: workspace, inputs: inputs).run().result
      report.gates.append(result)
      for index in members {
        let name = report.behaviors[index].behavior
        let sets = result.sets.filter { $0.behavior == name }
        let skipped = result.notEvaluated.map(\.evalSet).filter {
          Self.runs(mapping, set: $0, for: name)
        }
        report.behaviors[index].evals = sets.map(ReleaseEval.init)
        if sets.contains(where: \.regressed) {
          report.behaviors[index].status = .regressed
          regressed += sets.filter(\.regressed).map(\.evalSet).filter { !regressed.contains($0) }
        } else if !skipped.isEmpty, allowUnevaluated {
          report.behaviors[index].allowedUnevaluated = skipped
          report.warnings.append(
            "\(name): released with \(skipped.joined(separator: ", ")) not evaluated (--allow-unevaluated)"
          )
        } else if !skipped.isEmpty {
          report.behaviors[index].status = .notEvaluated
          unevaluated += skipped.filter { !unevaluated.contains($0) }
        }
      }
    }
    // A regression wins over a set that could not be evaluated, as in the gate.
    let failure: Failure? =
      !regressed.isEmpty
      ? .regressed(regressed) : !unevaluated.isEmpty ? .notEvaluated(unevaluated) : nil
    if let failure {
      for (index, _) in pending where report.behaviors[index].status == .pending {
        report.behaviors[index].status = .held
      }
      report.status = regressed.isEmpty ? .notEvaluated : .regressed
      return (report, failure)
    }
    for (index, version) in pending {
      var entry = report.behaviors[index]
      let message = try ReleaseRecord.message(
        behavior: entry.behavior, version: version, commit: commit.hex, tier: tier,
        baseline: entry.baseline, evals: entry.evals,
        allowedUnevaluated: entry.allowedUnevaluated)
      if try repository.createAnnotatedTag(
        name: entry.tag, target: commit, message: message, tagger: tagger)
      {
        entry.status = .released
      } else {
        // Another run in this repository tagged it between our check and now.
        entry.status = .alreadyReleased
        entry.commit = try repository.tag(named: entry.tag)?.target.hex ?? entry.commit
      }
      report.behaviors[index] = entry
    }
    report.status =
      report.behaviors.contains { $0.status == .released } ? .released : .alreadyReleased
    let pushFailure = try pushAll(&report)
    return (report, pushFailure)
  }

  /// Where a behavior's first release is compared from: the merge-base of `commit` with the
  /// default branch, nil when there is none or it is `commit` itself (a release cut from the
  /// default branch's tip, where every behavior is new).
  private func firstBaseline(of commit: ObjectID) -> String? {
    guard
      let found = try? BranchBase.find(
        head: commit, remote: "origin", defaultBranch: nil, in: workspace.repository),
      let base = found.mergeBase, base != commit
    else { return nil }
    return base.hex
  }

  /// Pushes every released or already released tag with `--push`; returns a failure when a
  /// push failed for another reason than a lost race (its message is among the warnings).
  private func pushAll(_ report: inout Report) throws -> Failure? {
    guard let push else { return nil }
    try push.validate()
    var failure: Failure?
    for index in report.behaviors.indices {
      let entry = report.behaviors[index]
      guard entry.status == .released || entry.status == .alreadyReleased,
        let tag = try workspace.repository.tag(named: entry.tag)
      else { continue }
      do {
        switch try push.push(tag: entry.tag, object: tag.object) {
        case .pushed:
          report.behaviors[index].push = .pushed
        case .lostRace(let commit):
          report.behaviors[index].push = .lostRace
          report.behaviors[index].remoteCommit = commit
        }
      } catch let error as PromptGateError where error.kind == .unavailable {
        report.warnings.append(error.message)
        failure = .pushFailed(remote: push.shownRemote)
      }
    }
    return failure
  }

  /// True when the eval set `name` runs `behavior` (a set the mapping does not name counts for
  /// every behavior, so that nothing unevaluated slips through).
  public static func runs(_ mapping: Mapping, set name: String, for behavior: String) -> Bool {
    guard let set = mapping.evalSet(named: name) else { return true }
    if let runs = set.run.behavior { return runs == behavior }
    return set.protects[behavior] != nil
  }
}
