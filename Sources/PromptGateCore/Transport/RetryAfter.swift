import Foundation

/// The `Retry-After` response header: a number of seconds or an HTTP date.
public enum RetryAfter {
  /// Longer than any wait anyone honours (ten years): what a larger or unbounded request is
  /// clamped to, so that converting it can never trap.
  static let ceiling: Double = 10 * 365 * 86_400

  /// How long the header asks to wait from `now`; nil when it is neither form (garbage is
  /// ignored, never trusted). A date in the past asks for no wait; a number too large to be
  /// meant (`1e300`, a date in 9999) asks for the ceiling, which every policy refuses.
  public static func parse(_ header: String, now: Date = Date()) -> Duration? {
    let text = header.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty, text.utf8.count <= 100 else { return nil }
    if let seconds = Double(text) {
      guard !seconds.isNaN else { return nil }
      return duration(seconds)
    }
    for format in formats {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "GMT")
      formatter.dateFormat = format
      if let date = formatter.date(from: text) {
        return duration(date.timeIntervalSince(now))
      }
    }
    return nil
  }

  /// `seconds` as a duration in whole milliseconds, clamped to zero and the ceiling.
  private static func duration(_ seconds: Double) -> Duration {
    let bounded = min(max(seconds, 0), ceiling)
    return .milliseconds(Int64((bounded * 1000).rounded(.up)))
  }

  /// IMF-fixdate (what servers send), then the obsolete RFC 850 and asctime forms.
  private static let formats = [
    "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
  ]
}

extension Duration {
  /// The duration in seconds, as a double.
  public var totalSeconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
