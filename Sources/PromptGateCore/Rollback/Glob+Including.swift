extension Glob {
  /// The pattern of `globs` that includes `path` (the last matching pattern decides, as in
  /// gitignore), or nil when none does: where a restored file belongs in a file set.
  public static func including(_ path: String, in globs: [Glob]) -> Glob? {
    BehaviorResolver.matchingGlob(globs, path)
  }
}
