import Yams

/// The gate's part of the mapping file: providers, prices, caps, policies and each eval set's
/// run settings.
extension MappingParser {
  static let topLevelKeys = [
    "behaviors", "evalSets", "global", "providers", "prices", "limits", "hook", "refusalPhrases",
    "telemetry",
  ]
  static let providerKeys = [
    "type", "command", "baseURL", "apiKeyEnv", "model", "concurrency", "timeout", "retries",
  ]
  static let runKeys = [
    "provider", "behavior", "repeat", "passAtLeast", "alpha", "caseAlpha", "maxRepeat", "adaptive",
    "floor", "quarantine", "budgets", "judge", "messages", "refusalPhrases",
  ]

  /// Reads a top-level gate key into `config`; false when `key` is not one.
  mutating func gateKey(_ key: String, _ value: YAMLNode, into config: inout GateConfig) -> Bool {
    switch key {
    case "providers":
      guard let entries = members(of: value, at: "providers") else { return true }
      for (nameNode, body) in entries {
        if let provider = provider(named: nameNode, body) {
          config.providers[provider.name] = provider
        }
      }
    case "prices":
      guard let entries = members(of: value, at: "prices") else { return true }
      for (model, body) in entries {
        let label = "prices.\(model.text ?? "")"
        guard let fields = members(of: body, at: label) else { continue }
        var price = Price(input: 0, output: 0)
        for (field, amount) in fields {
          switch field.text {
          case "input":
            price.input = number(amount, key: "\(label).input", Ranges.price) ?? 0
          case "output":
            price.output = number(amount, key: "\(label).output", Ranges.price) ?? 0
          default: unknownKey(field, in: label, known: Self.priceKeys)
          }
        }
        config.prices[model.text ?? ""] = price
      }
    case "limits":
      guard let fields = members(of: value, at: "limits") else { return true }
      for (field, amount) in fields {
        switch field.text {
        case "maxCalls":
          config.maxCalls = integer(amount, key: "limits.maxCalls", Ranges.maxCalls)
        case "maxCost": config.maxCost = number(amount, key: "limits.maxCost", Ranges.price)
        default: unknownKey(field, in: "limits", known: Self.limitKeys)
        }
      }
    case "hook":
      guard let fields = members(of: value, at: "hook") else { return true }
      for (field, setting) in fields {
        switch field.text {
        case "onUnavailable":
          if let policy = policy(setting, key: "hook.onUnavailable") {
            config.hookOnUnavailable = policy
          }
        case "timeout":
          config.hookTimeoutSeconds =
            number(setting, key: "hook.timeout", Ranges.timeout) ?? config.hookTimeoutSeconds
        case "maxRepeat":
          config.hookMaxRepeat = integer(setting, key: "hook.maxRepeat", Ranges.repeats)
          if config.hookMaxRepeat != nil { hookMaxRepeatNode = setting }
        default: unknownKey(field, in: "hook", known: Self.hookKeys)
        }
      }
    case "refusalPhrases":
      config.refusalPhrases = strings(value, key: "refusalPhrases")
    case "telemetry": config.telemetry = telemetry(value)
    default:
      return false
    }
    return true
  }

  mutating func provider(named key: YAMLNode, _ node: YAMLNode) -> ProviderDefinition? {
    let name = key.text ?? ""
    let label = "providers.\(name)"
    guard Self.isValidName(name) else {
      problems.append(
        diagnostic(
          at: key, "\(Diagnostic.quote(name)) is not a valid provider name",
          fix: "use letters, digits, '.', '_' and '-', starting with a letter or digit"))
      return nil
    }
    guard let fields = members(of: node, at: label) else { return nil }
    var kind: ProviderDefinition.Kind?
    var command: [String] = []
    var baseURL: String?
    var apiKeyEnv: String?
    var model: String?
    var limits = ProviderDefinition.Limits(concurrency: 4, timeoutSeconds: 60, retries: 2)
    var settings: [String: JSONValue] = [:]
    for (field, value) in fields {
      let fieldLabel = "\(label).\(field.text ?? "")"
      switch field.text {
      case "type":
        guard let text = string(value, key: fieldLabel) else { continue }
        kind = ProviderDefinition.Kind(rawValue: text)
        if kind == nil {
          problems.append(
            diagnostic(
              at: value, "\(fieldLabel): unknown provider type \(Diagnostic.quote(text))",
              fix: "use exec, openai or anthropic"))
        }
      case "command":
        command = strings(value, key: fieldLabel) ?? []
        settings["command"] = .array(command.map(JSONValue.string))
      case "baseURL":
        baseURL = string(value, key: fieldLabel)
        if let url = baseURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
          problems.append(
            diagnostic(
              at: value, "\(fieldLabel) must be an http:// or https:// URL",
              fix: "write e.g. http://127.0.0.1:11434/v1"))
        }
        settings["baseURL"] = baseURL.map(JSONValue.string)
      case "apiKeyEnv":
        apiKeyEnv = string(value, key: fieldLabel)
        if let variable = apiKeyEnv, variable.hasPrefix("sk-") || variable.count > 64 {
          problems.append(
            diagnostic(
              at: value, "\(fieldLabel) names an environment variable, and this looks like a key",
              fix: "remove the key from the file (rotate it), and write the variable's name"))
        }
      case "model":
        model = string(value, key: fieldLabel)
        settings["model"] = model.map(JSONValue.string)
      case "concurrency":
        limits.concurrency =
          integer(value, key: fieldLabel, Ranges.concurrency) ?? limits.concurrency
      case "timeout":
        limits.timeoutSeconds = number(value, key: fieldLabel, Ranges.timeout) ?? 60
      case "retries":
        limits.retries = integer(value, key: fieldLabel, Ranges.retries) ?? limits.retries
      default:
        unknownKey(field, in: label, known: Self.providerKeys)
      }
    }
    guard let kind else {
      if !fields.contains(where: { $0.0.text == "type" }) {
        problems.append(
          diagnostic(
            at: key, "\(label) has no `type`", fix: "add `type: exec`, `openai` or `anthropic`"))
      }
      return nil
    }
    if kind == .exec, command.isEmpty {
      problems.append(
        diagnostic(
          at: key, "\(label) is an exec provider without a `command`",
          fix: "add e.g. `command: [python3, evals/harness.py]`"))
      return nil
    }
    if kind == .exec {
      limits.retries = fields.contains { $0.0.text == "retries" } ? limits.retries : 0
    }
    settings["type"] = .string(kind.rawValue)
    return ProviderDefinition(
      name: name, kind: kind, command: command, baseURL: baseURL, apiKeyEnv: apiKeyEnv,
      model: model, limits: limits, settings: .object(settings))
  }

  /// Reads an eval set's run key into `run`; false when `key` is not one.
  mutating func runKey(_ key: String, _ value: YAMLNode, label: String, into run: inout EvalSetRun)
    -> Bool
  {
    let fieldLabel = "\(label).\(key)"
    switch key {
    case "provider": run.provider = string(value, key: fieldLabel)
    case "behavior": run.behavior = string(value, key: fieldLabel)
    case "repeat": run.repeats = integer(value, key: fieldLabel, Ranges.repeats) ?? 1
    case "passAtLeast": run.passAtLeast = integer(value, key: fieldLabel, Ranges.repeats)
    case "alpha": run.alpha = number(value, key: fieldLabel, Ranges.alpha) ?? run.alpha
    case "caseAlpha": run.caseAlpha = number(value, key: fieldLabel, Ranges.alpha) ?? run.caseAlpha
    case "maxRepeat":
      if let cap = integer(value, key: fieldLabel, Ranges.repeats) {
        run.maxRepeat = cap
        maxRepeatNodes[label] = value
      }
    case "adaptive":
      if case .scalar(let scalar) = value, YAMLLoader.tag(of: scalar) == .bool {
        run.adaptive = scalar.string.lowercased() == "true"
      } else {
        problems.append(
          diagnostic(
            at: value,
            "\(fieldLabel) must be true or false, not \(Diagnostic.quote(value.text ?? "?"))",
            fix: "write true (re-sample cases whose runs disagree) or false"))
      }
    case "floor": run.floor = number(value, key: fieldLabel, Ranges.fraction)
    case "quarantine": run.quarantine = Set(strings(value, key: fieldLabel) ?? [])
    case "refusalPhrases": run.refusalPhrases = strings(value, key: fieldLabel)
    case "budgets":
      guard let fields = members(of: value, at: fieldLabel) else { return true }
      for (field, amount) in fields {
        let budgetLabel = "\(fieldLabel).\(field.text ?? "")"
        switch field.text {
        case "p95Latency":
          run.budgets.p95Latency = number(amount, key: budgetLabel, Ranges.ratio)
        case "costPerCase":
          run.budgets.costPerCase = number(amount, key: budgetLabel, Ranges.ratio)
        case "refusalRate":
          run.budgets.refusalRate = number(amount, key: budgetLabel, Ranges.fraction)
        default:
          unknownKey(field, in: fieldLabel, known: Self.budgetKeys)
        }
      }
    case "judge":
      guard let fields = members(of: value, at: fieldLabel) else { return true }
      var provider: String?
      var model: String?
      for (field, setting) in fields {
        switch field.text {
        case "provider": provider = string(setting, key: "\(fieldLabel).provider")
        case "model": model = string(setting, key: "\(fieldLabel).model")
        default: unknownKey(field, in: fieldLabel, known: Self.judgeKeys)
        }
      }
      if let provider {
        run.judge = JudgeSpec(provider: provider, model: model)
      } else {
        problems.append(
          diagnostic(at: value, "\(fieldLabel) has no `provider`", fix: "name a provider"))
      }
    case "messages":
      run.messages = messages(value, label: fieldLabel)
    default:
      return false
    }
    return true
  }

  mutating func messages(_ node: YAMLNode, label: String) -> MessagesSpec? {
    guard let fields = members(of: node, at: label) else { return nil }
    var system: String?
    var user: String?
    for (field, value) in fields {
      switch field.text {
      case "system": system = path(value, key: "\(label).system")
      case "user": user = string(value, key: "\(label).user")
      default: unknownKey(field, in: label, known: Self.messagesKeys)
      }
    }
    guard let user else {
      problems.append(
        diagnostic(
          at: node, "\(label) has no `user` template",
          fix: "add e.g. `user: \"{{question}}\"`"))
      return nil
    }
    return MessagesSpec(system: system, user: user)
  }

  /// Checks what eval sets name: providers, judges and the behavior they run.
  mutating func checkRuns(
    _ sets: inout [EvalSetDefinition], nodes: [String: YAMLNode], config: GateConfig
  ) {
    for index in sets.indices {
      let set = sets[index]
      let at = nodes[set.name]
      let label = "evalSets.\(set.name)"
      for name in [set.run.provider, set.run.judge?.provider].compactMap({ $0 })
      where config.providers[name] == nil {
        report(
          at,
          "\(label) names provider \(Diagnostic.quote(name)), which `providers` does not define",
          fix: suggestion(for: name, among: Array(config.providers.keys))
            ?? "declare it under `providers:`")
      }
      if let behavior = set.run.behavior, set.protects[behavior] == nil {
        report(
          at, "\(label).behavior is \(Diagnostic.quote(behavior)), which the set does not protect",
          fix:
            "add it to `protects`, or name one of: \(set.protects.keys.sorted().joined(separator: ", "))"
        )
      } else if set.run.behavior == nil, set.protects.count == 1 {
        sets[index].run.behavior = set.protects.keys.first
      } else if set.run.behavior == nil, set.protects.count > 1 {
        let names = set.protects.keys.sorted().joined(separator: ", ")
        report(
          at,
          "eval set \(Diagnostic.quote(set.name)) protects several behaviors (\(names)) and does "
            + "not say which one its cases run",
          fix: "add `behavior: NAME` to \(label), NAME one of: \(names)")
      } else if set.run.behavior == nil, set.run.provider != nil,
        case .object(let fields) = set.definition, fields["protects"] == nil
      {
        report(
          at,
          "eval set \(Diagnostic.quote(set.name)) names a provider but protects no behavior, so "
            + "its cases have no behavior to run",
          fix: "add `protects: {BEHAVIOR: all}` to \(label)")
      }
      // A cap too small to ever reach caseAlpha would make re-sampling spend for nothing.
      let needed = PairedTest.minimumRuns(toReach: set.run.caseAlpha)
      if set.run.adaptive, let node = maxRepeatNodes[label], set.run.maxRepeat < needed {
        problems.append(
          diagnostic(
            at: node,
            "\(label).maxRepeat (\(set.run.maxRepeat)) is too small: with fewer than \(needed) runs a side no case can reach caseAlpha \(set.run.caseAlpha)",
            fix: "raise it to \(needed) or more, or set `adaptive: false`"))
      }
      if set.run.adaptive, let cap = config.hookMaxRepeat, let node = hookMaxRepeatNode,
        cap < needed
      {
        problems.append(
          diagnostic(
            at: node,
            "hook.maxRepeat (\(cap)) is too small for \(label): with fewer than \(needed) runs a side no case can reach caseAlpha \(set.run.caseAlpha)",
            fix: "raise it to \(needed) or more"))
      }
      if let passes = set.run.passAtLeast, passes > set.run.repeats {
        report(
          at, "\(label).passAtLeast (\(passes)) is more than `repeat` (\(set.run.repeats))",
          fix: "lower it, or raise `repeat`")
      }
    }
  }

  private mutating func report(_ node: YAMLNode?, _ message: String, fix: String) {
    if let node {
      problems.append(diagnostic(at: node, message, fix: fix))
    } else {
      problems.append(Diagnostic(file: file, message, fix: fix))
    }
  }

  // MARK: Scalars

  /// A number within `range`; a problem naming the range otherwise (also for NaN, infinities
  /// and text), so that nothing out of range reaches a conversion that could trap.
  mutating func number(_ node: YAMLNode, key: String, _ range: NumberRange) -> Double? {
    guard case .scalar(let scalar) = node,
      [.int, .float].contains(YAMLLoader.tag(of: scalar)) || Double(scalar.string) != nil,
      let value = YAMLLoader.number(scalar.string), range.contains(value)
    else {
      problems.append(
        diagnostic(
          at: node, "\(key) must be a number \(range), not \(Diagnostic.quote(node.text ?? "?"))",
          fix: "write a number \(range)"))
      return nil
    }
    return value
  }

  /// A whole number within `range`; a problem naming the range otherwise.
  mutating func integer(_ node: YAMLNode, key: String, _ range: ClosedRange<Int>) -> Int? {
    guard case .scalar(let scalar) = node, let value = Int(scalar.string), range.contains(value)
    else {
      let bounds =
        "from \(Ranges.format(range.lowerBound)) to \(Ranges.format(range.upperBound))"
      problems.append(
        diagnostic(
          at: node,
          "\(key) must be a whole number \(bounds), not \(Diagnostic.quote(node.text ?? "?"))",
          fix: "write a whole number \(bounds)"))
      return nil
    }
    return value
  }

  mutating func strings(_ node: YAMLNode, key: String) -> [String]? {
    guard case .sequence(let sequence) = node else {
      problems.append(diagnostic(at: node, "\(key) must be a list of strings", fix: nil))
      return nil
    }
    let items = sequence.map { string($0, key: key) }
    return items.contains(where: { $0 == nil }) ? nil : items.compactMap { $0 }
  }

  mutating func policy(_ node: YAMLNode, key: String) -> UnavailablePolicy? {
    guard let text = string(node, key: key) else { return nil }
    guard let policy = UnavailablePolicy(rawValue: text) else {
      problems.append(diagnostic(at: node, "\(key) must be warn or fail", fix: nil))
      return nil
    }
    return policy
  }
}
