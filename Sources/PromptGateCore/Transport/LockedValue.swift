import Foundation

/// A value shared between tasks, read and written under a lock: what a retry loop's attempts
/// record for the caller (when the first started, the last status seen).
public final class LockedValue<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value

  /// Holds `value`.
  public init(_ value: Value) { stored = value }

  /// The value now.
  public var value: Value {
    get {
      lock.lock()
      defer { lock.unlock() }
      return stored
    }
    set {
      lock.lock()
      defer { lock.unlock() }
      stored = newValue
    }
  }

  /// Changes the value in place, under the lock.
  public func update(_ change: (inout Value) -> Void) {
    lock.lock()
    defer { lock.unlock() }
    change(&stored)
  }
}
