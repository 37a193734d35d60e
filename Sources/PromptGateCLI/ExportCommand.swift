import ArgumentParser
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-export BEHAVIOR [--to TARGET] (--out DIR | --archive FILE.tar)`: the behavior as
/// a release artifact.
public struct ExportCommand: ParsableCommand {
  /// How the command is named and described.
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-export",
    abstract: "Write a behavior's files as of one version, with a behavior.json manifest.",
    discussion: """
      Writes, from git objects of the version TARGET names (read as promptgate rollback reads \
      it; default HEAD), the behavior's component files at their repository paths, the whole \
      config files its pointers and patterns read, and behavior.json: schemaVersion, behavior, \
      id, commit, tuple, and per component its source, value and files. --out DIR writes them \
      into a new or empty directory; --archive FILE.tar writes one ustar archive whose bytes \
      are the same for the same version on any machine at any time (sorted entries, mtime 0, \
      uid and gid 0, modes 0644 or 0755). See docs/rollback.md.

      Exit status: 0 written; 2 usage or configuration error (a target that names nothing, a \
      behavior absent there, a directory that is not empty); 4 a file cannot be written.
      """)

  /// `--config` and `-C`.
  @OptionGroup public var common: CommonOptions

  /// The behavior to export.
  @Argument(help: ArgumentHelp("The behavior to export.", valueName: "behavior"))
  public var behavior: String

  /// The version to export.
  @Option(
    help: ArgumentHelp(
      "The version: previous, previous~N, a release tag, a version id or prefix, or a revision (default: HEAD).",
      valueName: "target"))
  public var to = "HEAD"

  /// The directory to write.
  @Option(help: ArgumentHelp("Write the files into this new or empty directory.", valueName: "dir"))
  public var out: String?

  /// The archive to write.
  @Option(
    help: ArgumentHelp("Write one reproducible ustar archive instead.", valueName: "file.tar"))
  public var archive: String?

  /// Text or JSON.
  @Option(help: "Output format: text or json.")
  public var format: OutputFormat = .text

  /// Creates the command with its defaults.
  public init() {}

  public func validate() throws {
    if (out == nil) == (archive == nil) {
      throw ValidationError("give one of --out DIR and --archive FILE.tar")
    }
  }

  /// Runs the command.
  public func run() throws {
    let export = ExportWorkflow(workspace: try common.workspace(), behavior: behavior, target: to)
    let destination: ExportWorkflow.Destination =
      if let archive { .archive(archive) } else { .directory(out ?? "") }
    let outcome = try export.run(to: destination)
    switch format {
    case .json: Output.write(try Output.json(outcome))
    case .text:
      let manifest = outcome.manifest
      Output.write(
        ([
          "exported \(manifest.behavior) \(manifest.id.full) (commit \(manifest.commit.prefix(12)), "
            + "\(outcome.target.input): \(outcome.target.how)) to \(outcome.destination):"
        ]
          + outcome.files.map { "  " + $0 }).joined(separator: "\n"))
    }
  }
}
