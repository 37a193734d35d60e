/// The names git's own path verification refuses in a tree or the index (`verify_path`, with
/// core.protectHFS and core.protectNTFS on, as git does by default on every platform since
/// 2.24): `.`, `..`, `.git` in any case, a name holding `/`, `\` or NUL, and the forms NTFS and
/// HFS+ treat as `.git` (trailing dots and spaces, `git~1`, `.git:stream`, ignorable Unicode
/// code points). `git checkout` refuses them; PromptGate refuses them too, on every path that
/// resolves or materialises a side, so that no crafted commit can write outside a directory.
public enum PathSafety {
  /// Why `name`, one entry's name, is refused; nil when git accepts it.
  public static func problem(inName name: String) -> String? {
    // Most names are ASCII and start with neither `.` nor `g`: none of the reserved forms can
    // be one of those (the ignorable code points are not ASCII), so only separators are looked
    // for. A history walk checks every path of every listed tree.
    if let first = name.utf8.first, first != 0x2E, first != 0x67, first != 0x47,
      name.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x2F && $0 != 0x5C && $0 != 0 })
    {
      return nil
    }
    if name.isEmpty { return "an empty name" }
    if name == "." || name == ".." { return "'\(name)'" }
    if name.contains("/") || name.contains("\\") || name.contains("\0") {
      return "a name holding a path separator or NUL"
    }
    let folded = String(
      name.unicodeScalars.filter { !ignorable.contains($0.value) }.map(Character.init)
    ).lowercased()
    var trimmed = Substring(folded)
    while let last = trimmed.last, last == "." || last == " " { trimmed = trimmed.dropLast() }
    if trimmed == ".git" || folded.hasPrefix(".git:") || trimmed == "git~1" {
      return "a name git reserves for its own directory"
    }
    return nil
  }

  /// Throws when any component of `path` (from a tree or the index of `location`) is refused.
  public static func check(_ path: String, at location: String) throws {
    // The common case, every component plainly accepted (as the first test of
    // ``problem(inName:)``), is seen in the path's bytes: splitting it into strings was a
    // sixtieth of a history walk, which checks every file of every set it resolves.
    let plain = path.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      var start = true
      for byte in bytes {
        if start, byte == 0x2E || byte == 0x67 || byte == 0x47 || byte == 0x2F { return false }
        if byte >= 0x80 || byte == 0x5C || byte == 0 { return false }
        start = byte == 0x2F
      }
      return !start
    }
    if plain == true { return }
    for component in path.split(separator: "/", omittingEmptySubsequences: false) {
      if let problem = problem(inName: String(component)) {
        throw GitError(
          .invalid,
          "\(location) holds the path '\(String(path.prefix(200)))', which git refuses (\(problem)): "
            + "it was crafted, not committed by git; nothing is read from or written for it")
      }
    }
  }

  /// Code points HFS+ ignores when it compares names (git's `is_hfs_dotgit` list).
  static let ignorable: Set<UInt32> = [
    0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x206A, 0x206B,
    0x206C, 0x206D, 0x206E, 0x206F, 0xFEFF,
  ]
}
