import PromptGateCore

/// What a hook tells the person committing or pushing, as it goes: the CLI renders each event
/// on stderr the moment it happens, so a slow gate is never silent.
public enum HookEvent: Sendable {
  /// The hook was skipped this once (`PROMPTGATE_SKIP=1`).
  case skipped(hook: String)
  /// A remark on how the sides were chosen.
  case note(String)
  /// A behavior changed (or was added or removed).
  case changed(BehaviorChange)
  /// Nothing of the tier protects what changed.
  case noneSelected(tier: String, subject: String)
  /// An eval set was selected, with its reasons.
  case selected(Selection.Entry)
  /// The gate's result.
  case gated(GateResult)
  /// The gate could not evaluate these sets (named, with the reason when known), and the
  /// policy lets the change through.
  case letThrough(String)
}

/// Receives a hook's events; `ref` names the pushed branch (nil for pre-commit).
public typealias HookEvents = @Sendable (_ ref: String?, _ event: HookEvent) -> Void

/// How a hook ended, when it did not throw.
public enum HookOutcome: Sendable, Equatable {
  /// Skipped, nothing relevant changed, or every gate passed.
  case passed
  /// A gate failed: the commit or push stops, and `skipHint` says how to skip once.
  case blocked(GateDecision, ref: String?, skipHint: String)
}

/// What the hooks say about skipping them once.
public enum HookSkipHint {
  /// For the pre-commit hook.
  public static let preCommit =
    "to commit anyway this once: PROMPTGATE_SKIP=1 git commit ..., or git commit --no-verify"
  /// For the pre-push hook.
  public static let prePush =
    "to push anyway this once: PROMPTGATE_SKIP=1 git push ..., or git push --no-verify"
}
