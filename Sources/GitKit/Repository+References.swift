internal import Clibgit2

extension Repository {
  /// The full names of every reference (`refs/heads/main`, `refs/tags/v1`, ...), sorted.
  public func referenceNames() throws -> [String] {
    var names = git_strarray()
    _ = try check(git_reference_list(&names, try handle), "git_reference_list")
    defer { git_strarray_dispose(&names) }
    var result: [String] = []
    for index in 0..<names.count {
      if let name = names.strings[index] { result.append(String(cString: name)) }
    }
    return result.sorted()
  }
}
