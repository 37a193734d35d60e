import Foundation

/// Files of this package that tests compare against (the hook scripts, for instance).
public enum PackageFiles {
  /// The package's root directory, found from this source file's location.
  public static let root: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // TestSupport
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()
    .path

  /// The absolute path of the package-relative `relative`.
  public static func path(_ relative: String) -> String { root + "/" + relative }
}
