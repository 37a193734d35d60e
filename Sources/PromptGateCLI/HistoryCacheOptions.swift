import ArgumentParser
import PromptGateCore

/// `--store` and `--no-cache`, for the commands that walk the history (log, report, rollback).
public struct HistoryCacheOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The result store's directory, whose history/ folder caches what history walks learnt (default: promptgate/store in the git directory).",
      valueName: "path"))
  public var store: String?

  @Flag(help: "Walk the whole history without reading or writing the history cache.")
  public var noCache = false

  public init() {}

  /// The history cache for `workspace`, read now; nil with `--no-cache`.
  public func cache(for workspace: Workspace) -> HistoryCache? {
    guard !noCache else { return nil }
    let directory =
      store ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir)
    return HistoryCache(storeDirectory: directory, workspace: workspace)
  }
}
