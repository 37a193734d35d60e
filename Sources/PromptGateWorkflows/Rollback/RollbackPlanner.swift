import Foundation
import GitKit
import PromptGateCore

/// Works out a ``RollbackPlan``: for each component, where the working tree's current mapping
/// reads it, and what to write there so that it reads the target version's value.
struct RollbackPlanner {
  let workspace: Workspace
  let behavior: String
  let target: VersionTarget
  let root: String

  private var writes: [String: PathWrite] = [:]
  private var order: [String] = []

  init(workspace: Workspace, behavior: String, target: VersionTarget, root: String) {
    self.workspace = workspace
    self.behavior = behavior
    self.target = target
    self.root = root
  }

  mutating func plan() throws -> RollbackPlan {
    let repository = workspace.repository
    guard let commit = ObjectID(hex: target.commit) else {
      throw PromptGateError(.usage, "'\(target.commit)' is not a commit id")
    }
    let targetSnapshot = try repository.snapshot(
      of: commit, label: String(target.commit.prefix(12)))
    let targetState = try workspace.state(of: .revision(target.commit), snapshot: targetSnapshot)
    guard case .present(let wanted)? = targetState.state(of: behavior),
      let targetDefinition = targetState.mapping?.behavior(named: behavior)
    else {
      throw PromptGateError(
        .usage,
        "\(behavior) is not defined or not present at \(target.commit.prefix(12)) "
          + "(\(target.how)), so there is nothing to roll back to")
    }
    let current = try workspace.state(of: .workTree)
    guard let mapping = current.mapping, let definition = mapping.behavior(named: behavior) else {
      throw PromptGateError(
        .usage,
        "the working tree's promptgate.yaml defines no behavior '\(behavior)'; the current "
          + "mapping decides where a rollback writes, so add the behavior back first")
    }
    let present: ResolvedBehavior? =
      if case .present(let behavior)? = current.state(of: behavior) { behavior } else { nil }
    var steps: [RollbackPlan.ComponentStep] = []
    for component in Component.allCases {
      let want = wanted.components[component] ?? .nullComponent
      let have = present?.components[component]
      var step = RollbackPlan.ComponentStep(component: component, status: .unchanged)
      if have?.value != want.value {
        step.status = .restore
        try restore(
          component, want: want, source: definition.sources[component],
          targetSource: targetDefinition.sources[component], mapping: mapping,
          definition: definition, targetSnapshot: targetSnapshot, current: current.snapshot,
          into: &step)
      }
      steps.append(step)
    }
    var plan = RollbackPlan(
      behavior: behavior, target: target, from: present?.version.id, to: wanted.version.id,
      components: steps)
    plan.version = wanted.version
    plan.writes = order.compactMap { writes[$0] }.filter { write in
      // A path whose planned contents are what it already has is not written.
      let existing = Self.read(root + "/" + write.path)
      return existing?.bytes != write.contents || existing?.mode != write.mode
    }
    return plan
  }

  private mutating func restore(
    _ component: Component, want: ResolvedComponent, source: Source?, targetSource: Source?,
    mapping: Mapping, definition: BehaviorDefinition, targetSnapshot: Snapshot,
    current: Snapshot, into step: inout RollbackPlan.ComponentStep
  ) throws {
    let name = component.rawValue
    guard let source else {
      throw PromptGateError(
        .configuration,
        "\(behavior).\(name) has no source in the current promptgate.yaml, but the version "
          + "restored has one (\(targetSource?.description ?? "none")): add a source for it")
    }
    if want.value == .null {
      throw PromptGateError(
        .configuration,
        "the version restored has no \(name) (its mapping declares none, or an optional source "
          + "matched nothing), but the current promptgate.yaml reads it from \(source): remove "
          + "that source, or make it optional, before rolling back")
    }
    switch source.form {
    case .files(let globs):
      guard let files = want.files else {
        throw PromptGateError(
          .configuration,
          "\(behavior).\(name) is a file set now (\(source)), but the version restored read it "
            + "as a value (\(targetSource?.description ?? "?")); a file set cannot be written "
            + "to hold it: change the source back, or restore it by hand")
      }
      try restoreFiles(
        files, globs: globs, component: component, targetSnapshot: targetSnapshot,
        current: current, into: &step)
    case .pointer(let file, let pointer):
      guard let value = want.selected else {
        throw PromptGateError(
          .configuration,
          "\(behavior).\(name) is read from \(source) now, but the version restored read it "
            + "from files (\(targetSource?.description ?? "?")); a value cannot hold a file set")
      }
      var origin: ValueSplice.Origin?
      if case .pointer(let targetFile, let targetPointer)? = targetSource?.form,
        let entry = try targetSnapshot.entry(at: targetFile)
      {
        origin = ValueSplice.Origin(
          bytes: try targetSnapshot.contents(of: entry), path: targetFile, pointer: targetPointer)
      }
      let (bytes, mode) = try currentBytes(of: file, component: component, source: source)
      let old = pointer.resolve(in: try Self.parse(bytes, path: file))
      let spliced = try ValueSplice.splice(
        bytes, path: file, file: file, pointer: pointer, to: value, origin: origin)
      put(PathWrite(path: file, contents: spliced.bytes, mode: mode))
      step.values.append(
        .init(
          file: file, line: spliced.line, selector: "#\(pointer)",
          old: try? old.get(), new: value))
    case .regex(let file, let pattern, let group):
      guard let value = want.selected, let text = value.scalarText else {
        throw PromptGateError(
          .configuration,
          "\(behavior).\(name) is captured by \(source) now, but the version restored holds "
            + "no single value for it (\(targetSource?.description ?? "?"))")
      }
      let (bytes, mode) = try currentBytes(of: file, component: component, source: source)
      let (spliced, line, old) = try RegexSplice.splice(
        bytes, file: file, pattern: pattern, group: group, to: text)
      put(PathWrite(path: file, contents: spliced, mode: mode))
      step.values.append(
        .init(
          file: file, line: line, selector: "=~ /\(pattern)/", old: old.map(JSONValue.string),
          new: .string(text)))
    case .value:
      let mark = definition.sourceMarks[component]
      throw Diagnostic(
        file: mapping.file, line: mark?.line, column: mark?.column,
        "\(behavior).\(name) is the literal \(source) in the mapping itself; a rollback restores "
          + "files, not the mapping's literals",
        fix:
          "change that line to {value: \((try? CanonicalJSON.serialize(want.selected ?? want.value)) ?? "?")} "
          + "and run the rollback again")
    }
  }

  private mutating func restoreFiles(
    _ files: [ResolvedFile], globs: [Glob], component: Component, targetSnapshot: Snapshot,
    current: Snapshot, into step: inout RollbackPlan.ComponentStep
  ) throws {
    var placed: Set<String> = []
    for file in files {
      let destination = try place(file, globs: globs, component: component)
      guard let entry = try targetSnapshot.entry(at: file.path), entry.mode != .gitlink else {
        throw PromptGateError(
          .configuration,
          "\(file.path) at \(target.commit.prefix(12)) is a submodule, which a rollback does not "
            + "check out: update the submodule by hand")
      }
      let contents = try targetSnapshot.contents(of: entry)
      placed.insert(destination)
      let exists = Self.read(root + "/" + destination) != nil
      put(PathWrite(path: destination, contents: contents, mode: entry.mode))
      step.files.append(.init(path: destination, action: exists ? .restore : .add))
    }
    let resolver = BehaviorResolver(snapshot: current)
    for path in try resolver.fingerprints(globs).keys.sorted() where !placed.contains(path) {
      put(PathWrite(path: path, contents: nil, mode: .regular))
      step.files.append(.init(path: path, action: .remove))
    }
    step.files.sort { $0.path < $1.path }
  }

  /// Where a file of the version goes under the current patterns: its own path when a pattern
  /// still includes it under the same relative name, else a pattern's base directory joined
  /// with its relative name (the files were moved).
  private func place(_ file: ResolvedFile, globs: [Glob], component: Component) throws -> String {
    if let glob = Glob.including(file.path, in: globs),
      glob.relativePath(of: file.path) == file.relativePath
    {
      return file.path
    }
    for glob in globs where !glob.isNegated {
      let candidate =
        glob.baseDirectory.isEmpty
        ? file.relativePath : glob.baseDirectory + "/" + file.relativePath
      if let including = Glob.including(candidate, in: globs),
        including.relativePath(of: candidate) == file.relativePath
      {
        return candidate
      }
    }
    throw PromptGateError(
      .configuration,
      "\(behavior).\(component.rawValue): the current patterns "
        + "(\(globs.map(\.text).joined(separator: ", "))) do not cover \(file.path) of the version "
        + "restored (named '\(file.relativePath)' in its hash): add a pattern that includes it")
  }

  /// The bytes a path has now (an earlier step's splice, else the working tree's file).
  private func currentBytes(of path: String, component: Component, source: Source) throws
    -> ([UInt8], FileMode)
  {
    if let planned = writes[path], let contents = planned.contents {
      return (contents, planned.mode)
    }
    guard let existing = Self.read(root + "/" + path), existing.mode != .symlink else {
      throw PromptGateError(
        .configuration,
        "\(behavior).\(component.rawValue) is read from \(source), but \(path) "
          + "\(Self.read(root + "/" + path) == nil ? "does not exist" : "is a symlink") in the "
          + "working tree: restore the file first, or point the mapping at where the value is now")
    }
    return (existing.bytes, existing.mode)
  }

  private mutating func put(_ write: PathWrite) {
    if writes[write.path] == nil { order.append(write.path) }
    writes[write.path] = write
  }

  static func parse(_ bytes: [UInt8], path: String) throws -> JSONValue {
    if path.lowercased().hasSuffix(".json") { return try JSONFile.parse(bytes, file: path) }
    if FrontMatter.isPromptFile(path) { return try FrontMatter.parse(bytes, file: path) }
    return try YAMLLoader.load(String(decoding: bytes, as: UTF8.self), file: path, mergeKeys: true)
  }

  /// A working-tree path's bytes (a symlink's target text) and mode; nil when nothing is there.
  static func read(_ full: String) -> (bytes: [UInt8], mode: FileMode)? {
    var info = stat()
    guard lstat(full, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFLNK:
      guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: full) else {
        return nil
      }
      return (Array(target.utf8), .symlink)
    case S_IFREG:
      guard let data = FileManager.default.contents(atPath: full) else { return nil }
      return (Array(data), info.st_mode & S_IXUSR != 0 ? .executable : .regular)
    default:
      return nil
    }
  }
}
