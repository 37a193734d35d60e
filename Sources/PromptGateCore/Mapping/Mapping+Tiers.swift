extension Mapping {
  /// The tiers the eval sets declare, sorted.
  public var declaredTiers: [String] { Set(evalSets.map(\.tier)).sorted() }

  /// Throws a configuration error (exit 2) when `tier` is given and no eval set of any of
  /// `mappings` declares it, so that a typo (`--tier fats`) cannot select nothing and pass.
  ///
  /// A tier is known when either side's mapping declares it: a change that removes the last set
  /// of a tier is not a typo. Nil `tier` (every tier), or no mapping at all, checks nothing.
  public static func requireTier(_ tier: String?, declaredBy mappings: [Mapping?])
    throws(Diagnostic)
  {
    let present = mappings.compactMap { $0 }
    guard let tier, !present.isEmpty else { return }
    let declared = Set(present.flatMap(\.declaredTiers)).sorted()
    guard !declared.contains(tier) else { return }
    var files: [String] = []
    for mapping in present where !files.contains(mapping.file) { files.append(mapping.file) }
    let shown = Diagnostic.quote(tier)
    guard !declared.isEmpty else {
      throw Diagnostic(
        file: files.joined(separator: ", "),
        "no eval set declares the tier \(shown): the mapping declares no eval sets",
        fix: "declare an eval set with `tier: \(tier)` under `evalSets:`, or leave out --tier")
    }
    let list = declared.joined(separator: ", ")
    let guess = MappingParser.suggestion(for: tier, among: declared).map { $0 + " " } ?? ""
    throw Diagnostic(
      file: files.joined(separator: ", "),
      "no eval set declares the tier \(shown); the tiers declared are: \(list)",
      fix: "\(guess)pass --tier with one of: \(list)")
  }

  /// The same, reading the mapping of each of `sides` (the `--config` mapping when given).
  public static func requireTier(
    _ tier: String?, in workspace: @autoclosure () throws -> Workspace, at sides: [Side]
  ) throws {
    guard tier != nil else { return }
    let workspace = try workspace()
    var mappings: [Mapping?] = []
    for side in sides {
      mappings.append(
        try workspace.override
          ?? Workspace.mapping(in: try workspace.snapshot(of: side), cache: workspace.cache))
    }
    try requireTier(tier, declaredBy: mappings)
  }
}
