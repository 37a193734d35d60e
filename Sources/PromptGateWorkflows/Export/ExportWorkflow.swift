import Foundation
import GitKit
import PromptGateCore

/// `promptgate export BEHAVIOR [--to TARGET]`: the behavior's resolved components as of one
/// version, as a directory or one reproducible tar archive, with a `behavior.json` manifest
/// that names the version's id, so that a deploy ships exactly the released behaviour.
public struct ExportWorkflow {
  public let workspace: Workspace
  public let behavior: String
  /// The version, resolved as ``VersionTarget`` reads it (default HEAD).
  public let target: String

  /// Where the export goes.
  public enum Destination: Sendable {
    /// A directory, which must be empty or not exist.
    case directory(String)
    /// A ustar archive file.
    case archive(String)
  }

  /// Creates an export of `behavior` at `target`.
  public init(workspace: Workspace, behavior: String, target: String = "HEAD") {
    self.workspace = workspace
    self.behavior = behavior
    self.target = target
  }

  /// The manifest, `behavior.json` at the export's root.
  public struct Manifest: Encodable, Sendable {
    /// One component: where the mapping reads it, its value, and the files it was read from.
    public struct Part: Encodable, Sendable {
      /// The source as the mapping declares it; null when it declares none.
      public let source: JSONValue?
      public let value: JSONValue
      public let files: [String]

      // Every key is written, `source` as null when absent, so every part has one shape.
      public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source ?? .null, forKey: .source)
        try container.encode(value, forKey: .value)
        try container.encode(files, forKey: .files)
      }

      enum CodingKeys: String, CodingKey { case source, value, files }
    }

    public let schemaVersion = 1
    public let behavior: String
    public let id: BehaviorID
    public let commit: String
    public let tuple: JSONValue
    public let components: [String: Part]

    enum CodingKeys: String, CodingKey {
      case schemaVersion, behavior, id, commit, tuple, components
    }
  }

  /// What an export wrote.
  public struct Outcome: Encodable, Sendable {
    public let manifest: Manifest
    public let target: VersionTarget
    /// The paths written, `behavior.json` included, sorted.
    public let files: [String]
    /// Where they went.
    public let destination: String
  }

  /// The manifest's file name.
  public static let manifestName = "behavior.json"

  /// The files of the export (the manifest included) and its manifest, without writing them.
  public func entries() throws -> ([USTarArchive.Entry], Manifest, VersionTarget) {
    let resolved = try VersionTarget.resolve(target, behavior: behavior, in: workspace)
    let state = try workspace.state(of: .revision(resolved.commit))
    guard case .present(let found)? = state.state(of: behavior),
      let definition = state.mapping?.behavior(named: behavior)
    else {
      throw PromptGateError(
        .usage,
        "\(behavior) is not defined or not present at \(resolved.commit.prefix(12)) "
          + "(\(resolved.how)), so there is nothing to export")
    }
    var files = try state.behaviorFiles(found)
    guard !files.contains(where: { $0.path == Self.manifestName }) else {
      throw PromptGateError(
        .configuration,
        "\(behavior) reads a file named \(Self.manifestName) at the repository root, where the "
          + "export's manifest goes: move that file")
    }
    var parts: [String: Manifest.Part] = [:]
    for component in Component.allCases {
      let resolvedComponent = found.components[component] ?? .nullComponent
      let read = Set(resolvedComponent.inputs + (resolvedComponent.files ?? []).map(\.path))
      parts[component.rawValue] = Manifest.Part(
        source: definition.sources[component]?.definition, value: resolvedComponent.value,
        files: read.sorted())
    }
    let manifest = Manifest(
      behavior: behavior, id: found.version.id, commit: resolved.commit,
      tuple: found.version.tuple, components: parts)
    files.append(
      USTarArchive.Entry(
        path: Self.manifestName, contents: Array((try JSONReport.document(manifest) + "\n").utf8),
        executable: false))
    return (files, manifest, resolved)
  }

  /// Writes the export to `destination`.
  public func run(to destination: Destination) throws -> Outcome {
    let (files, manifest, resolved) = try entries()
    let paths = files.map(\.path).sorted()
    switch destination {
    case .archive(let path):
      let bytes: [UInt8]
      do {
        bytes = try USTarArchive.bytes(files)
      } catch {
        throw PromptGateError(.configuration, error.description)
      }
      guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        throw PromptGateError(
          .environment, "cannot write \(path): check that its directory exists and is writable")
      }
      return Outcome(manifest: manifest, target: resolved, files: paths, destination: path)
    case .directory(let directory):
      let manager = FileManager.default
      var isDirectory: ObjCBool = false
      if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
        guard isDirectory.boolValue,
          (try? manager.contentsOfDirectory(atPath: directory))?.isEmpty == true
        else {
          throw PromptGateError(
            .usage,
            "\(directory) exists and is not an empty directory: export into a new or empty one, "
              + "so that no file of another version is left in it")
        }
      }
      do {
        for file in files {
          let full = directory + "/" + file.path
          try manager.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
          guard manager.createFile(atPath: full, contents: Data(file.contents)) else {
            throw PromptGateError(.environment, "cannot write \(full)")
          }
          try manager.setAttributes(
            [.posixPermissions: file.executable ? 0o755 : 0o644], ofItemAtPath: full)
        }
      } catch let error as PromptGateError {
        throw error
      } catch {
        throw PromptGateError(.environment, "cannot write the export into \(directory): \(error)")
      }
      return Outcome(manifest: manifest, target: resolved, files: paths, destination: directory)
    }
  }
}
