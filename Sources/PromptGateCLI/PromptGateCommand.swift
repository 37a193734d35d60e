import Foundation

/// `promptgate`: runs `promptgate-<command>` for `promptgate <command>`, as git runs its
/// subcommands, looking beside its own executable first and then on PATH.
public enum PromptGateCommand {
  /// The commands and what each does, for `promptgate --help`.
  public static let commands: [(String, String)] = [
    ("version", "Print the behavior version of each behavior at a side."),
    ("diff", "Show which behaviors and components changed between two sides."),
    ("select", "Print the eval sets that protect what changed, with reasons."),
    ("log", "List the commits at which a behavior's version changed."),
    ("check-config", "Validate promptgate.yaml; report each problem with its line."),
    ("gate", "Run the selected eval sets on both sides; fail what regresses."),
    ("store", "Show or prune the gate's result store."),
    ("release", "Gate the release tier and tag each released behavior version."),
    ("rollback", "Restore every component of a behavior to a version; prove it."),
    ("export", "Write a behavior's files as of one version, with a manifest."),
    ("report", "Summarize production telemetry per behavior version."),
    ("install-hooks", "Install the pre-commit and pre-push hooks."),
    ("hook", "Run PromptGate's part of a git hook (called by the hooks)."),
    ("schema", "Print the JSON Schema of promptgate.yaml, for editors."),
    ("init", "Write a starter promptgate.yaml from the repository's files."),
  ]

  static var usage: String {
    var lines = [
      "OVERVIEW: Release discipline for LLM behaviour, inside git and CI.", "",
      "USAGE: promptgate [-C <path>]... <command> [<arguments>...]", "",
      "OPTIONS:",
      "  -C <path>      Run as if started in <path>; each further -C is relative to",
      "                 the one before, as in git.",
      "  --generate-completion-script <shell>",
      "                 Print the completion script for bash, zsh or fish.", "",
      "COMMANDS:",
    ]
    for (name, summary) in commands {
      lines.append("  " + name.padding(toLength: 15, withPad: " ", startingAt: 0) + summary)
    }
    lines += [
      "", "Each command is also an executable of its own, promptgate-<command>.",
      "See 'promptgate <command> --help' for its options.",
      "", "EXIT CODES: 0 ok or no change; 1 something found; 2 usage error, invalid",
      "configuration or unsupported repository; 3 could not evaluate; 4 the",
      "environment failed.",
    ]
    return lines.joined(separator: "\n")
  }

  /// Dispatches `arguments` (without the program name) and never returns.
  public static func main(_ arguments: [String]) -> Never {
    var arguments = arguments[...]
    // `-C PATH` before the command changes directory first, as git's does; each is relative to
    // the one before, an empty one changes nothing, and the command then runs there.
    while arguments.first == "-C" {
      arguments.removeFirst()
      guard let directory = arguments.popFirst() else {
        Output.error("promptgate: -C needs a directory; see 'promptgate --help'")
        exit(ExitStatus.usage.rawValue)
      }
      if !directory.isEmpty { changeDirectory(to: directory) }
    }
    guard let first = arguments.first else {
      Output.error(usage)
      exit(ExitStatus.usage.rawValue)
    }
    if first == "--generate-completion-script" {
      let shell = arguments.dropFirst().first ?? ""
      guard let script = completionScript(for: shell) else {
        Output.error(
          "promptgate: --generate-completion-script takes one of: \(shells.joined(separator: ", "))"
        )
        exit(ExitStatus.usage.rawValue)
      }
      Output.write(String(script.dropLast()))
      exit(ExitStatus.ok.rawValue)
    }
    if first == "--help" || first == "-h" {
      Output.write(usage)
      exit(ExitStatus.ok.rawValue)
    }
    var rest = Array(arguments.dropFirst())
    var name = first
    if first == "help" {
      guard let command = rest.first else {
        Output.write(usage)
        exit(ExitStatus.ok.rawValue)
      }
      name = command
      rest = ["--help"]
    }
    guard !name.hasPrefix("-"), let path = locate("promptgate-" + name) else {
      Output.error("promptgate: '\(name)' is not a promptgate command; see 'promptgate --help'")
      exit(ExitStatus.usage.rawValue)
    }
    let argv = ([path] + rest).map { strdup($0) } + [nil]
    execv(path, argv)
    Output.error("promptgate: cannot run \(path): \(String(cString: strerror(errno)))")
    exit(ExitStatus.usage.rawValue)
  }

  /// Changes the working directory to `directory` (relative to the current one), or exits 2
  /// naming it.
  static func changeDirectory(to directory: String) {
    guard chdir(directory) == 0 else {
      let reason = String(cString: strerror(errno))
      let current = FileManager.default.currentDirectoryPath
      let shown = directory.hasPrefix("/") ? directory : "\(directory) (in \(current))"
      Output.error("promptgate: cannot change to \(shown): \(reason)")
      exit(ExitStatus.usage.rawValue)
    }
  }

  /// The executable `name` beside this one, or the first on PATH.
  static func locate(_ name: String) -> String? {
    let own = URL(fileURLWithPath: CommandLine.executablePath).deletingLastPathComponent().path
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in [own] + path.split(separator: ":").map(String.init) {
      let candidate = directory + "/" + name
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}
