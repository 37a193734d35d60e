extension PromptGateCommand {
  /// What each `promptgate-<command>` executable's main runs, by command name: the same entry
  /// points, so that one executable can stand for all of them.
  static let entries: [String: @Sendable ([String]) async -> Never] = [
    "version": { await CommandRunner.main(VersionCommand.self, arguments: $0) },
    "diff": { await CommandRunner.main(DiffCommand.self, arguments: $0) },
    "select": { await CommandRunner.main(SelectCommand.self, arguments: $0) },
    "log": {
      await CommandRunner.main(LogCommand.self, arguments: $0, fastPath: LogCommand.fastParse)
    },
    "check-config": { await CommandRunner.main(CheckConfigCommand.self, arguments: $0) },
    "install-hooks": { await CommandRunner.main(InstallHooksCommand.self, arguments: $0) },
    "hook": { await HookCommand.entry($0) },
    "gate": { await GateCommand.entry($0) },
    "store": { await CommandRunner.main(StoreCommand.self, arguments: $0) },
    "release": { await CommandRunner.main(ReleaseCommand.self, arguments: $0) },
    "rollback": { await CommandRunner.main(RollbackCommand.self, arguments: $0) },
    "export": { await CommandRunner.main(ExportCommand.self, arguments: $0) },
    "schema": { await CommandRunner.main(SchemaCommand.self, arguments: $0) },
    "init": { await CommandRunner.main(InitCommand.self, arguments: $0) },
    "report": { await CommandRunner.main(ReportCommand.self, arguments: $0) },
  ]

  /// `promptgate`'s main: run as `promptgate-<command>` (a link to it, as the release tarball
  /// installs them), it is that command; run as anything else, the dispatcher.
  public static func multiCall(_ arguments: [String]) async -> Never {
    let invoked = arguments.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
    if let invoked, invoked.hasPrefix("promptgate-"),
      let entry = entries[String(invoked.dropFirst("promptgate-".count))]
    {
      await entry(Array(arguments.dropFirst()))
    }
    main(Array(arguments.dropFirst()))
  }
}
