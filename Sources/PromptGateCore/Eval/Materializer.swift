import Foundation
import GitKit

/// Writes files of one side into a directory, from git objects (or the index), never from the
/// working tree unless the side is the working tree: how both sides run without a checkout.
public final class Materializer {
  /// The temporary directory everything goes under; removed by `removeAll()`.
  public let root: String
  private var made: [String: String] = [:]

  /// Creates a temporary root (see ``TemporaryRoots``: removed at the end, on SIGINT and
  /// SIGTERM, or by the next gate when this process is killed outright).
  public init() throws {
    root = try TemporaryRoots.make()
  }

  /// Removes everything materialised.
  public func removeAll() {
    TemporaryRoots.remove(root)
  }

  /// A directory holding `behavior`'s component files at `state`, at their repository paths;
  /// made once per behavior version (the same version has the same files).
  public func behaviorDirectory(_ behavior: ResolvedBehavior, at state: SideState) throws -> String
  {
    if let known = made["behavior:" + behavior.version.id.description] { return known }
    let directory = "\(root)/behavior-\(made.count)"
    var paths = Set<String>()
    for component in behavior.components.values {
      paths.formUnion(component.inputs)
      for file in component.files ?? [] { paths.insert(file.path) }
    }
    try write(paths.sorted(), from: state, into: directory)
    made["behavior:" + behavior.version.id.description] = directory
    return directory
  }

  /// A directory holding the head's copy of an eval set's cases file and `files:`.
  public func harnessDirectory(_ set: EvalSetDefinition, at state: SideState) throws -> String {
    if let known = made["harness:" + set.name] { return known }
    let directory = "\(root)/harness-\(made.count)"
    var paths = [set.cases]
    paths += try state.resolver.matches(set.files).map(\.0)
    try write(paths, from: state, into: directory)
    made["harness:" + set.name] = directory
    return directory
  }

  /// A digest of the set's harness files at `state`: part of every result key.
  public static func harnessDigest(_ set: EvalSetDefinition, at state: SideState) throws -> String {
    let fingerprints = try state.resolver.fingerprints(set.files)
    return try Digest.canonical(.object(fingerprints.mapValues(JSONValue.string)))
  }

  private func write(_ paths: [String], from state: SideState, into directory: String) throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let base = URL(fileURLWithPath: directory).standardizedFileURL.path + "/"
    for path in paths {
      try PathSafety.check(path, at: state.snapshot.location(of: ""))
      // Checked again after resolving, so that nothing can be written outside the directory.
      guard URL(fileURLWithPath: directory + "/" + path).standardizedFileURL.path.hasPrefix(base)
      else {
        throw PromptGateError(
          .configuration,
          "\(state.snapshot.location(of: path)) would be written outside \(directory)")
      }
      guard let entry = try state.snapshot.entry(at: path) else { continue }
      let target = try state.resolver.follow(entry)
      guard target.mode != .gitlink else { continue }
      let bytes = try state.snapshot.contents(of: target)
      let destination = "\(directory)/\(path)"
      try manager.createDirectory(
        atPath: (destination as NSString).deletingLastPathComponent,
        withIntermediateDirectories: true)
      guard manager.createFile(atPath: destination, contents: Data(bytes)) else {
        throw PromptGateError(
          .environment,
          "cannot write a materialised file at \(destination): check TMPDIR and the free space")
      }
      if target.mode == .executable {
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: destination)
      }
    }
  }
}
