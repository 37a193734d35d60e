import Yams

/// Bounds on what a YAML document may expand to, so that a small file of nested aliases (an
/// "alias bomb": `a: &a [x, x]`, `b: &b [*a, *a]`, …) is refused instead of eating memory.
extension YAMLLoader {
  /// The most nodes aliases may add to a document beyond what its text holds.
  public static let maximumAliasNodes = 100_000
  /// The deepest nesting of lists and mappings.
  public static let maximumDepth = 512

  /// Throws when `root`, the document `text` of `file`, nests deeper than ``maximumDepth`` or
  /// expands through aliases to more than ``maximumAliasNodes`` nodes beyond its text. A
  /// document without aliases has at most one node per byte of text, so any excess came from
  /// aliases; the walk stops as soon as the bound is passed.
  static func checkLimits(_ root: Node, text: String, file: String) throws(Diagnostic) {
    let limit = text.utf8.count + maximumAliasNodes
    var count = 0
    var stack: [(node: Node, depth: Int)] = [(root, 1)]
    while let (node, depth) = stack.popLast() {
      count += 1
      if count > limit {
        throw Diagnostic(
          file: file, line: node.mark?.line, column: node.mark?.column,
          "YAML aliases expand this file to more than \(maximumAliasNodes) nodes beyond its text",
          fix: "write the values out, or nest fewer aliases inside aliases")
      }
      if depth > maximumDepth {
        throw Diagnostic(
          file: file, line: node.mark?.line, column: node.mark?.column,
          "YAML nests deeper than \(maximumDepth) levels", fix: "flatten the structure")
      }
      switch node {
      case .sequence(let sequence):
        for element in sequence { stack.append((element, depth + 1)) }
      case .mapping(let mapping):
        for (key, value) in mapping {
          stack.append((key, depth + 1))
          stack.append((value, depth + 1))
        }
      case .scalar, .alias:
        break
      }
    }
  }
}
