import GitKit
import PromptGateCI
import PromptGateCore

/// Turns a CI context into the two sides to gate, checking that the commits are here.
public enum CISides {
  /// The base and head sides, and a note on how the base was chosen.
  public static func sides(for context: CIContext, in repository: Repository) throws -> (
    Side, Side, String
  ) {
    guard let head = try? repository.resolveCommit(context.head) else {
      throw PromptGateError(
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
        throw PromptGateError(.usage, message + "; " + context.fetchFix)
      }
    }
    // A new branch, or a push whose `before` is gone (a force-push): the branch-base rule.
    let why =
      context.base == nil
      ? context.baseReason : "the commit before the push is gone (a force-push?)"
    let found: BranchBase.Found
    do {
      found = try BranchBase.find(
        head: head, remote: "origin", defaultBranch: context.defaultBranch, in: repository)
    } catch let error as PromptGateError {
      throw PromptGateError(error.kind, "\(why): \(error.message); \(context.fetchFix)")
    }
    guard found.mergeBase != nil else {
      return (
        found.side, .revision(context.head),
        "\(why), with no history in common with \(found.against): every behavior counts as changed"
      )
    }
    return (found.side, .revision(context.head), "\(why): the merge-base with \(found.against)")
  }
}
