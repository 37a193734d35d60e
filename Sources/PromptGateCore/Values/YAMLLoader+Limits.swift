import Yams

/// Bounds on what a YAML document may expand to, so that a small file of nested aliases (an
/// "alias bomb": `a: &a [x, x]`, `b: &b [*a, *a]`, …) is refused instead of eating memory.
/// ``YAMLComposer`` enforces them while it builds the tree.
extension YAMLLoader {
  /// The most nodes aliases may add to a document beyond what its text holds.
  public static let maximumAliasNodes = 100_000
  /// The deepest nesting of lists and mappings.
  public static let maximumDepth = 512
}
