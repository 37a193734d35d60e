import GitKit
import PromptGateCI
import PromptGateCore

/// Turns a CI context into the two sides to gate, checking that the commits are here.
enum CISides {
  /// The base and head sides, and a note on how the base was chosen.
  static func sides(for context: CIContext, in repository: Repository) throws -> (
    Side, Side, String
  ) {
    guard (try? repository.resolveCommit(context.head)) != nil else {
      throw ExitWith(
        .usage,
        "the commit to gate, \(context.head.prefix(12)), is not in this clone; \(context.fetchFix)")
    }
    if let base = context.base {
      if (try? repository.resolveCommit(base)) != nil {
        return (.revision(base), .revision(context.head), context.baseReason)
      }
      guard context.baseMayFallBack else {
        var message =
          "the base commit \(base.prefix(12)) (\(context.baseReason)) is not in this clone"
        if !repository.shallowBoundary().isEmpty { message += ", which is shallow" }
        throw ExitWith(.usage, message + "; " + context.fetchFix)
      }
    }
    // A new branch, or a push whose `before` is gone (a force-push): the merge-base with the
    // default branch; failing that, no baseline, and every behavior counts as changed.
    let why =
      context.base == nil
      ? context.baseReason : "the commit before the push is gone (a force-push?)"
    if let branch = context.defaultBranch {
      for candidate in ["refs/remotes/origin/\(branch)", "refs/heads/\(branch)"] {
        guard let tip = try? repository.resolveCommit(candidate),
          let head = try? repository.resolveCommit(context.head)
        else { continue }
        do {
          let base = try repository.mergeBase(tip, head)
          return (
            .revision(base.hex), .revision(context.head),
            "\(why): the merge-base with \(branch)"
          )
        } catch {
          continue
        }
      }
    }
    return (
      .empty, .revision(context.head),
      "\(why), and no default branch to compare with: every behavior counts as changed"
    )
  }
}
