import Foundation

/// Turns two sides and a selection into a `GatePlan`: the cases from the head, each side's
/// behaviour materialised from git objects, and the runs the store does not hold yet.
public struct GatePlanner {
  /// What the command asked for.
  public struct Options: Sendable {
    /// Only sets of this tier.
    public var tier: String?
    /// Re-run what the store holds.
    public var refresh = false
    /// Caps that override the mapping's `limits`.
    public var maxCalls: Int?
    public var maxCost: Double?
    /// Only this shard's cases.
    public var shard: Shard?

    /// Creates options.
    public init(
      tier: String?, refresh: Bool = false, maxCalls: Int? = nil, maxCost: Double? = nil,
      shard: Shard? = nil
    ) {
      self.tier = tier
      self.refresh = refresh
      self.maxCalls = maxCalls
      self.maxCost = maxCost
      self.shard = shard
    }
  }

  let store: ResultStore
  let materializer: Materializer
  let options: Options
  let makeProvider: (ProviderDefinition) throws -> any Provider

  /// Creates a planner.
  public init(
    store: ResultStore, materializer: Materializer, options: Options,
    makeProvider: @escaping (ProviderDefinition) throws -> any Provider
  ) {
    self.store = store
    self.materializer = materializer
    self.options = options
    self.makeProvider = makeProvider
  }

  /// The plan for gating `head` against `base`. Under `trust` `.base`, the head's mapping
  /// selects the sets and its cases run, but every provider, judge, set setting, harness file and
  /// `command` assertion comes from the base (see ``CodeTrust``).
  public func plan(
    base: SideState, head: SideState, changes: ChangeSet, selection: Selection,
    trust: CodeTrust = .head
  ) throws -> GatePlan {
    let mapping = head.mapping
    // The side whose definitions run.
    let code = trust.isBaseOnly ? base : head
    let gate = code.mapping?.gate ?? GateConfig()
    var providers: [String: any Provider] = [:]
    var sets: [PlannedSet] = []
    var runs: [String: PlannedRun] = [:]
    var unrunnable: [NotEvaluated] = []
    var failedProviders: [String: String] = [:]
    for entry in selection.evalSets {
      guard let headSet = mapping?.evalSet(named: entry.evalSet) else { continue }
      let set: EvalSetDefinition
      if case .base(let reason) = trust {
        guard let trusted = base.mapping?.evalSet(named: headSet.name) else {
          unrunnable.append(
            NotEvaluated(
              evalSet: headSet.name,
              reason: "it is defined only at the head, and \(reason)"))
          continue
        }
        set = headSet.running(as: trusted)
      } else {
        set = headSet
      }
      let location = code.snapshot.location(of: MappingParser.fileName)
      guard let providerName = set.run.provider else {
        unrunnable.append(
          NotEvaluated(
            evalSet: set.name,
            reason:
              "it has no `provider`: add `provider: NAME` to evalSets.\(set.name) in \(location)"))
        continue
      }
      guard let definition = gate.providers[providerName] else {
        throw Diagnostic(
          file: location,
          "eval set '\(set.name)' names provider '\(providerName)', which is not defined",
          fix: "declare it under `providers:`")
      }
      // A set that cannot run because of its own cases or assertions is a configuration error
      // (exit 2) everywhere, found before any provider is set up: never "not evaluated".
      let cases = try Self.cases(of: set, at: head)
      if trust.isBaseOnly {
        try Self.requireBaseCommands(cases, of: set, head: head, base: base)
      }
      let problems = set.configurationProblems(
        cases: cases, casesFile: head.snapshot.location(of: set.cases), mappingFile: location)
      if !problems.isEmpty { throw Diagnostics(problems) }
      // A provider that cannot be set up (its API key variable unset) makes its sets
      // "not evaluated", as an outage would: exit 3 in CI, a warning in the hook.
      var unavailable: String?
      for name in [providerName, set.run.judge?.provider].compactMap({ $0 }) {
        guard providers[name] == nil, let definition = gate.providers[name] else { continue }
        if let known = failedProviders[name] {
          unavailable = unavailable ?? known
          continue
        }
        do {
          providers[name] = try makeProvider(definition)
        } catch {
          failedProviders[name] = String(describing: error)
          unavailable = unavailable ?? String(describing: error)
        }
      }
      if let unavailable {
        unrunnable.append(NotEvaluated(evalSet: set.name, reason: unavailable))
        continue
      }
      guard let behaviorName = set.run.behavior else {
        throw Diagnostic(
          file: location,
          "eval set '\(set.name)' protects several behaviors; say which one its cases run",
          fix: "add `behavior: NAME` to evalSets.\(set.name)")
      }
      guard case .present(let headBehavior)? = head.state(of: behaviorName) else {
        let why: String
        if case .absent(let absence)? = head.state(of: behaviorName) {
          why = absence.description
        } else {
          why = "not defined"
        }
        throw Diagnostic(
          file: location,
          "eval set '\(set.name)' runs behavior '\(behaviorName)', which is absent at \(head.side): \(why)",
          fix: "make its required sources match, or mark them `optional: true`")
      }
      var baselineBehavior: ResolvedBehavior?
      if case .present(let behavior)? = base.state(of: behaviorName) { baselineBehavior = behavior }
      let removed = try Self.removedCases(set, base: base, head: cases)
      let harness = try materializer.harnessDirectory(set, at: code)
      let harnessDigest = try Materializer.harnessDigest(set, at: code)
      let headRun = try behaviorRun(headBehavior, at: head)
      let baseRun = try baselineBehavior.map { try behaviorRun($0, at: base) }
      let messages =
        set.run.messages ?? mapping?.behavior(named: behaviorName)?.messages
      let baseMessages =
        set.run.messages ?? base.mapping?.behavior(named: behaviorName)?.messages ?? messages
      let maker = RunMaker(
        provider: providerName, settings: definition.settings, isExec: definition.kind == .exec,
        harnessDigest: harnessDigest, harnessDirectory: harness, evalSet: set.name,
        headMessages: messages, baselineMessages: baseMessages)
      var planned: [PlannedCase] = []
      for evalCase in cases
      where options.shard?.contains(evalSet: set.name, caseID: evalCase.id) ?? true {
        func keys(for run: BehaviorRun, messages: MessagesSpec?) throws -> [String] {
          try (0..<set.run.repeats).map { repeatIndex in
            let made = try maker.run(evalCase, behavior: run, messages: messages, repeatIndex)
            if runs[made.key] == nil { runs[made.key] = made }
            return made.key
          }
        }
        planned.append(
          PlannedCase(
            evalCase: evalCase, headKeys: try keys(for: headRun, messages: messages),
            baselineKeys: try baseRun.map { try keys(for: $0, messages: baseMessages) }))
      }
      let change = changes.behaviors.first { $0.behavior == behaviorName }
      let touched = (change?.changed ?? []).filter {
        set.protects[behaviorName]?.contains($0) == true
      }
      sets.append(
        PlannedSet(
          definition: set, behavior: behaviorName, headBehavior: headRun,
          baselineBehavior: baseRun, reasons: entry.reasons.map(\.description), cases: planned,
          removedCases: removed, harnessDirectory: harness, harnessDigest: harnessDigest,
          runMaker: maker,
          changedInputs: try Self.changedInputs(
            touched, behavior: behaviorName, base: base, head: head)))
    }
    let maxCost = options.maxCost ?? gate.maxCost
    if maxCost != nil {
      try Self.requirePrices(sets, providers: gate.providers, prices: gate.prices)
    }
    let missing = runs.keys.sorted().filter { options.refresh || store.result($0) == nil }
    var plan = GatePlan(
      base: base.summary, head: head.summary, behaviors: changes.behaviors.filter(\.isChange),
      tier: options.tier, sets: sets, runs: runs,
      missing: missing, providers: providers, providerDefinitions: gate.providers,
      prices: gate.prices, maxCalls: options.maxCalls ?? gate.maxCalls,
      maxCost: maxCost, refusalPhrases: gate.refusalPhrases,
      unrunnable: unrunnable)
    plan.refresh = options.refresh
    return plan
  }

  /// Under base-only trust, a head case may run only programs the base's cases of the same set
  /// already run: a `command` assertion is code, and the head's code must not run.
  static func requireBaseCommands(
    _ cases: [EvalCase], of set: EvalSetDefinition, head: SideState, base: SideState
  ) throws {
    let added = cases.filter { !$0.commands.isEmpty }
    guard !added.isEmpty else { return }
    let baseCases = (base.mapping?.evalSet(named: set.name)).flatMap {
      try? Self.cases(of: $0, at: base)
    }
    let allowed = Set((baseCases ?? []).flatMap(\.commands))
    let file = head.snapshot.location(of: set.cases)
    let problems = added.compactMap { evalCase -> Diagnostic? in
      guard let argv = evalCase.commands.first(where: { !allowed.contains($0) }) else {
        return nil
      }
      return Diagnostic(
        file: file, line: evalCase.line,
        "case \(Diagnostic.quote(evalCase.id)) runs the command \(Diagnostic.quote(argv.joined(separator: " "))), which the base's cases of eval set \(Diagnostic.quote(set.name)) do not: under this CI event only the base's code runs",
        fix:
          "land the command on the base branch first, or gate this change under `pull_request`; --trust-head-code runs it with the job's secrets"
      )
    }
    if !problems.isEmpty { throw Diagnostics(problems) }
  }

  /// Under a cost cap, every model an HTTP provider calls (the cases' and the judge's) must have
  /// a price, or the cap could not count it; exec harnesses that report no cost are free.
  static func requirePrices(
    _ sets: [PlannedSet], providers: [String: ProviderDefinition], prices: [String: Price]
  ) throws {
    for set in sets {
      var models: [(String, String?)] = []
      if let name = set.definition.run.provider, let definition = providers[name],
        definition.kind != .exec
      {
        models.append((name, definition.model ?? set.headBehavior.model))
        if let base = set.baselineBehavior, definition.model == nil {
          models.append((name, base.model))
        }
      }
      if let judge = set.definition.run.judge, let definition = providers[judge.provider],
        definition.kind != .exec
      {
        models.append((judge.provider, judge.model ?? definition.model))
      }
      for (provider, model) in models where model.map({ prices[$0] == nil }) ?? true {
        throw PromptGateError(
          .configuration,
          "a cost cap is set (--max-cost or limits.maxCost), but the model \(model.map { "'\($0)'" } ?? "(unnamed)") of provider '\(provider)' (eval set '\(set.definition.name)') has no price: add it under `prices:` in \(MappingParser.fileName), or drop the cap"
        )
      }
    }
  }

  private func behaviorRun(_ behavior: ResolvedBehavior, at state: SideState) throws -> BehaviorRun
  {
    let directory = try materializer.behaviorDirectory(behavior, at: state)
    let files = { (component: Component) in
      (behavior.components[component]?.files ?? []).map(\.path).sorted()
    }
    return BehaviorRun(
      name: behavior.name, id: behavior.version.id.description, model: behavior.version.model,
      temperature: behavior.version.temperature,
      maxOutputTokens: behavior.version.maxOutputTokens, directory: directory,
      promptFiles: files(.prompt), toolSchemaFiles: files(.toolSchema))
  }

  /// The set's cases at `state`.
  public static func cases(of set: EvalSetDefinition, at state: SideState) throws -> [EvalCase] {
    guard let entry = try state.snapshot.entry(at: set.cases) else {
      throw Diagnostic(
        file: state.snapshot.location(of: set.cases),
        "eval set '\(set.name)' has no cases file at \(state.side)",
        fix: "add the file, or fix `cases:` in evalSets.\(set.name)")
    }
    let bytes = try state.snapshot.contents(of: try state.resolver.follow(entry))
    return try CaseFile.parse(
      bytes, file: state.snapshot.location(of: set.cases), path: set.cases,
      tree: CaseTree(state))
  }

  static func removedCases(_ set: EvalSetDefinition, base: SideState, head: [EvalCase]) throws
    -> [String]
  {
    guard let old = base.mapping?.evalSet(named: set.name),
      let oldCases = try? cases(of: old, at: base)
    else { return [] }
    let kept = Set(head.map(\.id))
    return oldCases.map(\.id).filter { !kept.contains($0) }
  }

  /// The files behind `components` that differ between the sides, with the changed lines at the
  /// head: what annotations on a regression point to.
  static func changedInputs(
    _ components: [Component], behavior: String, base: SideState, head: SideState
  ) throws -> [ChangedInput] {
    func inputs(_ state: SideState, _ component: Component) -> [String] {
      guard case .present(let resolved)? = state.state(of: behavior),
        let value = resolved.components[component]
      else { return [] }
      return value.inputs + (value.files ?? []).map(\.path)
    }
    func text(_ state: SideState, _ path: String) -> String? {
      guard let entry = try? state.snapshot.entry(at: path),
        let target = try? state.resolver.follow(entry),
        let bytes = try? state.snapshot.contents(of: target)
      else { return nil }
      return String(validating: bytes, as: UTF8.self)
    }
    var result: [ChangedInput] = []
    var seen = Set<String>()
    for component in components {
      for path in Set(inputs(head, component) + inputs(base, component)).sorted()
      where seen.insert(path).inserted {
        let old = text(base, path)
        let new = text(head, path)
        guard old != new else { continue }
        let lines =
          new.map { LineDiff.changedLines(old: old ?? "", new: $0) } ?? []
        result.append(ChangedInput(path: path, component: component, lines: lines))
      }
    }
    return result
  }
}
