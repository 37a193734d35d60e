import Foundation
import GitKit
import PromptGateCore

/// `promptgate rollback BEHAVIOR --to TARGET`: restores every component of a behavior to a
/// named version from git objects, proves that the working tree then has that version's id,
/// and stages (and with `commit`, commits) exactly the restored paths.
public struct RollbackWorkflow {
  public let workspace: Workspace
  public let behavior: String
  public let target: String
  /// Print the plan; change nothing.
  public var dryRun = false
  /// Go on when a path to be written has uncommitted changes.
  public var force = false
  /// Record a commit of the restored paths through `git commit`.
  public var commit = false
  /// The history cache the walk that finds a version id reads and extends.
  public var historyCache: HistoryCache?

  /// Creates a rollback of `behavior` to `target`.
  public init(workspace: Workspace, behavior: String, target: String) {
    self.workspace = workspace
    self.behavior = behavior
    self.target = target
  }

  /// What a rollback did.
  public struct Outcome: Encodable, Sendable {
    public enum Status: String, Encodable, Sendable {
      /// `--dry-run`: the plan only.
      case planned
      /// The working tree already had the version; nothing was written.
      case unchanged
      /// Restored, proved and staged.
      case restored
      /// Restored, proved, staged and committed.
      case committed
      /// Restored, proved and staged, but `git commit` (its hooks) refused the commit.
      case commitRefused = "commit-refused"
    }

    public let schemaVersion = 1
    public var status: Status
    public let plan: RollbackPlan
    /// The working tree's id after the rollback (equal to `plan.to`), when it was written.
    public var proof: BehaviorID?
    /// The commit made with `commit`.
    public var commit: String?
    /// What `git commit` and the team's hooks printed, with `commit`.
    public var commitOutput: String?

    enum CodingKeys: String, CodingKey {
      case schemaVersion, status, plan, proof, commit, commitOutput
    }
  }

  /// Plans, writes, proves, stages and commits; throws when the rollback cannot be made, with
  /// every file as it was.
  public func run() throws -> Outcome {
    let repository = workspace.repository
    guard let root = repository.workdir else {
      throw PromptGateError(
        .usage, "a bare repository has no working tree to roll back; run this in a clone")
    }
    let resolved = try VersionTarget.resolve(
      target, behavior: behavior, in: workspace, cache: historyCache)
    var planner = RollbackPlanner(
      workspace: workspace, behavior: behavior, target: resolved, root: root)
    let plan = try planner.plan()
    if dryRun { return Outcome(status: .planned, plan: plan) }
    if plan.isNoOp {
      return Outcome(status: .unchanged, plan: plan, proof: plan.to)
    }
    let git = GitRunner(root: root)
    if !force {
      let dirty = try git.dirtyPaths(plan.paths)
      if !dirty.isEmpty {
        throw PromptGateError(
          .usage,
          "uncommitted changes in \(dirty.joined(separator: ", ")), which the rollback would "
            + "overwrite: commit or stash them, or pass --force")
      }
    }
    let backup = try WorkingTreeBackup(root: root, paths: plan.paths)
    do {
      try backup.write(plan.writes)
      try prove(plan)
    } catch {
      try backup.restore()
      throw error
    }
    do {
      try git.stage(plan.paths)
    } catch {
      try backup.restore()
      throw error
    }
    var outcome = Outcome(status: .restored, plan: plan, proof: plan.to)
    if commit {
      let message = Self.commitMessage(plan)
      let (id, output) = try git.commit(plan.paths, message: message)
      outcome.status = id == nil ? .commitRefused : .committed
      outcome.commit = id
      outcome.commitOutput = output
    }
    return outcome
  }

  /// Resolves the working tree again: the behavior must now have the target's id, or the
  /// rollback names each component that did not come back.
  private func prove(_ plan: RollbackPlan) throws {
    let state = try workspace.state(of: .workTree)
    switch state.state(of: behavior) {
    case .present(let now)? where now.version.id == plan.to:
      return
    case .present(let now)?:
      let wrong = Component.allCases.filter { now.version.value(of: $0) != plan.toVersion(of: $0) }
      throw PromptGateError(
        .configuration,
        "after restoring, the working tree's \(behavior) is \(now.version.id.full), not "
          + "\(plan.to.full): \(wrong.map(\.rawValue).joined(separator: ", ")) could not be "
          + "restored under the current mapping. Every file was put back as it was")
    case .absent(let absence)?:
      throw PromptGateError(
        .configuration,
        "after restoring, \(behavior) is absent in the working tree (\(absence)); "
          + "\(absence.component.rawValue) could not be restored. Every file was put back as it was"
      )
    case nil:
      throw PromptGateError(
        .configuration,
        "after restoring, the working tree defines no \(behavior). Every file was put back as it "
          + "was")
    }
  }

  /// The documented commit message: a subject, the version's provenance, and two trailers.
  static func commitMessage(_ plan: RollbackPlan) -> [String] {
    var trailers = ["Behavior-Version: \(plan.to.full)"]
    if let from = plan.from { trailers.append("Rolled-Back-From: \(from.full)") }
    return [
      "Roll back \(plan.behavior) to \(plan.to.short)",
      "Restores every component of \(plan.behavior) as of commit \(plan.target.commit.prefix(12)) "
        + "(\(plan.target.input): \(plan.target.how)).",
      trailers.joined(separator: "\n"),
    ]
  }
}

extension RollbackPlan {
  /// The value the target version has for `component`, kept for the proof's message.
  func toVersion(of component: Component) -> JSONValue { version.value(of: component) }
}
