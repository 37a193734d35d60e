import PromptGateCore

/// The part every hook shares: say what changed from one side to another, select the tier's
/// eval sets, gate them, and decide under the mapping's `hook.onUnavailable` policy.
struct HookGate {
  let workspace: Workspace
  let tier: String
  let events: HookEvents

  /// Gates `base` against `head` for `ref` (nil for pre-commit); `subject` says what was
  /// changed, for "no fast eval set protects <subject>"; `notes` come before the changes.
  func gate(
    base: Side, head: Side, ref: String?, subject: String, notes: [String] = [],
    skipHint: String
  ) async throws -> HookOutcome {
    let (old, new, warning) = try workspace.gatingStates(base, head)
    guard old.mapping != nil || new.mapping != nil else { return .passed }
    var notes = notes
    if let warning { notes.append(warning) }
    let changes = try ChangeDetector.compare(old, new)
    guard changes.hasChanges else { return .passed }
    let selection = Selection(changes: changes, head: new.mapping, tier: tier)
    for note in notes { events(ref, .note(note)) }
    for change in changes.behaviors where change.isChange { events(ref, .changed(change)) }
    if selection.evalSets.isEmpty {
      events(ref, .noneSelected(tier: tier, subject: subject))
      return .passed
    }
    for entry in selection.evalSets { events(ref, .selected(entry)) }
    let policy = new.mapping?.gate.hookOnUnavailable ?? .warn
    let result: GateResult
    do {
      // The sides are resolved and compared once: the gate takes them as they are.
      var inputs = GateWorkflow.Inputs(base: base, head: head, tier: tier)
      inputs.maxSeconds = new.mapping?.gate.hookTimeoutSeconds ?? 60
      inputs.maxRepeat = new.mapping?.gate.hookMaxRepeat
      result = try await GateWorkflow(workspace: workspace, inputs: inputs)
        .run(old, new, changes: changes, selection: selection).result
    } catch let error as PromptGateError
      where policy == .warn && (error.kind == .unavailable || error.kind == .environment)
    {
      events(
        ref,
        .letThrough(
          "\(selection.evalSets.map(\.evalSet).joined(separator: ", ")) (\(error.message))"))
      return .passed
    }
    events(ref, .gated(result))
    let decision = GateDecision(result, onUnavailable: policy)
    if case .passWithWarning(let sets) = decision {
      events(ref, .letThrough(sets.joined(separator: ", ")))
    }
    return decision.passes ? .passed : .blocked(decision, ref: ref, skipHint: skipHint)
  }
}
