/// The files of the side the cases come from (the head), for what a case file refers to:
/// promptfoo's `file://` vars and `tests: file://...`. Paths are relative to the repository.
public struct CaseTree {
  /// The bytes at `path`, or nil when no file is there.
  public var read: (String) throws -> [UInt8]?
  /// Every file path below `directory` ("" for the root), sorted.
  public var files: (String) throws -> [String]
  /// How messages name `path` (`REV:path`, `:path`, `path`).
  public var location: (String) -> String

  /// Creates a tree from its three questions.
  public init(
    read: @escaping (String) throws -> [UInt8]?, files: @escaping (String) throws -> [String],
    location: @escaping (String) -> String
  ) {
    self.read = read
    self.files = files
    self.location = location
  }

  /// A tree of in-memory files, for tests and tools.
  public static func memory(_ contents: [String: String]) -> CaseTree {
    CaseTree(
      read: { contents[$0].map { Array($0.utf8) } },
      files: { directory in
        contents.keys.filter { directory.isEmpty || $0.hasPrefix(directory + "/") }.sorted()
      },
      location: { $0 })
  }

  /// `reference` (a path written in a file inside `directory`) as a repository path, or nil
  /// when it is absolute or leaves the repository.
  static func resolve(_ reference: String, in directory: String) -> String? {
    guard !reference.hasPrefix("/") else { return nil }
    var parts = directory.split(separator: "/").map(String.init)
    for part in reference.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..":
        guard !parts.isEmpty else { return nil }
        parts.removeLast()
      default: parts.append(String(part))
      }
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }

  /// The directory part of a repository path ("" at the root).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[..<slash])
  }

  /// Whether `text` holds a glob wildcard, as promptfoo's glob reads it.
  static func isPattern(_ text: String) -> Bool {
    text.contains { "*?[{".contains($0) }
  }

  /// The files `reference` names from `directory`: one path, or a glob's matches sorted; throws
  /// the reason when it names nothing readable.
  func paths(_ reference: String, in directory: String) throws(TemplateProblem) -> [String] {
    guard let path = Self.resolve(reference, in: directory) else {
      throw TemplateProblem(
        "file://\(reference) leaves the repository",
        fix: "refer to a file inside the repository, relative to the file that names it")
    }
    if !Self.isPattern(reference) {
      guard (try? read(path)) != nil else {
        throw TemplateProblem(
          "file://\(reference) names no file (\(location(path)))",
          fix: "add the file, or correct the path (relative to the file that names it)")
      }
      return [path]
    }
    let glob: Glob
    do {
      glob = try Glob(path)
    } catch {
      throw TemplateProblem(
        "file://\(reference) is not a pattern PromptGate reads: \(error.description)",
        fix: "use * , ** and ? wildcards")
    }
    let matches = ((try? files(glob.searchRoot)) ?? []).filter { glob.matches($0) }.sorted()
    guard !matches.isEmpty else {
      throw TemplateProblem(
        "file://\(reference) matches no file", fix: "add the files, or correct the pattern")
    }
    return matches
  }
}

extension CaseTree {
  /// The files of a side, read as the gate reads the set's other files (symlinks followed).
  public init(_ state: SideState) {
    self.init(
      read: { path in
        guard let entry = try state.snapshot.entry(at: path) else { return nil }
        return try state.snapshot.contents(of: try state.resolver.follow(entry))
      },
      files: { directory in try state.snapshot.files(under: directory).map(\.path) },
      location: { state.snapshot.location(of: $0) })
  }
}
