import GitKit

extension BehaviorResolver {
  /// The files the patterns match among `candidates`, hashed, sorted by relative path; with
  /// `body`, prompt files hash their text without front matter.
  func fileSet(
    _ globs: [Glob], component: Component, body: Bool = false, candidates: [String: FileEntry]
  ) throws -> [ResolvedFile] {
    var byRelativePath: [String: ResolvedFile] = [:]
    for (path, glob, entry) in Self.included(candidates, globs) {
      let relative = glob.relativePath(of: path)
      let target = try follow(entry)
      let file = ResolvedFile(
        path: path, relativePath: relative, mode: target.mode.octal,
        digest: try contentDigest(target, component: component, body: body, displayPath: path))
      if let other = byRelativePath[relative] {
        throw Diagnostic(
          file: snapshot.location(of: path),
          "\(other.path) and \(path) both hash as '\(relative)' for \(component.rawValue)",
          fix: "narrow the patterns so that each relative path is matched once")
      }
      byRelativePath[relative] = file
    }
    return byRelativePath.values.sorted {
      $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8)
    }
  }

  /// A fingerprint (mode and content digest) of every file the patterns match, by path: what
  /// eval-set and global files are compared by.
  public func fingerprints(_ globs: [Glob]) throws -> [String: String] {
    var result: [String: String] = [:]
    for (path, _, entry) in try matches(globs) {
      result[path] = try fingerprint(entry, displayPath: path)
    }
    return result
  }

  /// The fingerprint of the file at `path`, or nil when there is none.
  public func fingerprint(at path: String) throws -> String? {
    guard let entry = try snapshot.entry(at: path) else { return nil }
    return try fingerprint(entry, displayPath: path)
  }

  private func fingerprint(_ entry: FileEntry, displayPath: String) throws -> String {
    let target = try follow(entry)
    return target.mode.octal + " "
      + (try contentDigest(target, component: .prompt, displayPath: displayPath))
  }

  /// Every file that the patterns include, with the pattern that includes it, sorted by path.
  func matches(_ globs: [Glob]) throws -> [(String, Glob, FileEntry)] {
    Self.included(try candidates(globs), globs)
  }

  /// The files of `candidates` that `globs` include, with the including pattern, by path.
  static func included(_ candidates: [String: FileEntry], _ globs: [Glob]) -> [(
    String, Glob, FileEntry
  )] {
    candidates.sorted(by: { $0.key < $1.key }).compactMap { path, candidate in
      matchingGlob(globs, path).map { (path, $0, candidate) }
    }
  }

  /// Every file where the including patterns search: the file a pattern names, or every file
  /// below its search root.
  func candidates(_ globs: [Glob]) throws -> [String: FileEntry] {
    var candidates: [String: FileEntry] = [:]
    for glob in globs where !glob.isNegated {
      if let entry = try snapshot.entry(at: glob.searchRoot),
        entry.mode != .gitlink || glob.isLiteral
      {
        candidates[entry.path] = entry
      } else {
        for entry in try snapshot.files(under: glob.searchRoot) { candidates[entry.path] = entry }
      }
    }
    return candidates
  }

  /// The pattern that includes `path`: gitignore's rule (the last matching pattern decides), with
  /// the first including pattern naming the base directory.
  static func matchingGlob(_ globs: [Glob], _ path: String) -> Glob? {
    var matched: Glob?
    for glob in globs where glob.matches(path) {
      if glob.isNegated {
        matched = nil
      } else if matched == nil {
        matched = glob
      }
    }
    return matched
  }

  /// The digest of one file's content; with `body`, a prompt file's text without front matter.
  func contentDigest(
    _ entry: FileEntry, component: Component, body: Bool = false, displayPath: String
  ) throws -> String {
    if entry.mode == .gitlink { return entry.id?.hex ?? "" }
    let canonical =
      component.hashesStructuredFilesCanonically && StructuredFile.isStructured(entry.path)
    let body = body && FrontMatter.isPromptFile(entry.path)
    let key = entry.id.map { ContentCache.DigestKey(id: $0, canonical: canonical, body: body) }
    if let key, let cached = cache.digests[key] { return cached }
    let digest = try uncachedDigest(
      entry, canonical: canonical, body: body, displayPath: displayPath)
    if let key { cache.digests[key] = digest }
    return digest
  }

  private func uncachedDigest(
    _ entry: FileEntry, canonical: Bool, body: Bool, displayPath: String
  ) throws -> String {
    let bytes = try snapshot.contents(of: entry)
    if let oid = StructuredFile.lfsObjectID(bytes) { return oid }
    if body {
      return Digest.sha256(
        Array(try FrontMatter.body(bytes, file: snapshot.location(of: displayPath))))
    }
    if canonical {
      let value = try StructuredFile.parse(
        bytes, path: entry.path, location: snapshot.location(of: displayPath))
      return try Digest.canonical(value)
    }
    return Digest.sha256(bytes)
  }

  /// The file a symlink points to inside the same snapshot (the entry itself when not a link).
  func follow(_ entry: FileEntry) throws -> FileEntry {
    var current = entry
    var hops = 0
    while current.mode == .symlink {
      hops += 1
      let target = String(decoding: try snapshot.contents(of: current), as: UTF8.self)
      guard hops <= 40, let resolved = Self.join(current.path, target) else {
        throw Diagnostic(
          file: snapshot.location(of: entry.path),
          hops > 40 ? "symlinks loop" : "is a symlink to '\(target)', outside the repository",
          fix: "commit the file itself, or point the link inside the repository")
      }
      guard let next = try snapshot.entry(at: resolved) else {
        let isDirectory = try !snapshot.files(under: resolved).isEmpty
        throw Diagnostic(
          file: snapshot.location(of: entry.path),
          isDirectory
            ? "is a symlink to the directory '\(resolved)'"
            : "is a symlink to '\(target)', which does not exist",
          fix: isDirectory
            ? "match the directory's files with a pattern instead" : "fix or remove the link")
      }
      symlinkTargets.insert(resolved)
      followedSymlinks += 1
      current = next
    }
    return current
  }

  /// `target` resolved against the directory of `link`; nil when it leaves the repository.
  static func join(_ link: String, _ target: String) -> String? {
    guard !target.hasPrefix("/") else { return nil }
    var parts = link.split(separator: "/").dropLast().map(String.init)
    for part in target.split(separator: "/") {
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
}
