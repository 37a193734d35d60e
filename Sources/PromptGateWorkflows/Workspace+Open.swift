import GitKit
import PromptGateCore

extension Workspace {
  /// The repository at (or above) `repository`, or the current directory, with the mapping at
  /// `config` read for every side when given.
  public static func open(repository: String?, config: String?) throws -> Workspace {
    let opened = try repository.map { try Repository(discoveringFrom: $0) } ?? Repository()
    return try Workspace(repository: opened, configPath: config)
  }
}
