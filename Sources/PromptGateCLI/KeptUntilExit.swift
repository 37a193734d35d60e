/// Keeps what a command read until the process exits, instead of freeing it on the way out.
///
/// A command that has read a large mapping ends right after: freeing a hundred thousand
/// behaviors one allocation at a time took a tenth of `promptgate-check-config`'s time, and the
/// kernel drops the whole heap at exit in a fraction of that. (git does the same with
/// `UNLEAK`, and compilers with their own `-disable-free`.) Only for values read once per
/// process: nothing kept here is ever used again.
enum KeptUntilExit {
  private final class Kept {
    let values: [Any]
    init(_ values: [Any]) { self.values = values }
  }

  /// Retains `values` for the rest of the process.
  static func keep(_ values: Any...) {
    _ = Unmanaged.passRetained(Kept(values))
  }
}
