import Foundation

/// The `Retry-After` response header: a number of seconds or an HTTP date.
enum RetryAfter {
  /// How long the header asks to wait from `now`; nil when it is neither form. A date in the
  /// past asks for no wait.
  static func parse(_ header: String, now: Date = Date()) -> Duration? {
    let text = String(header.trimmingWhitespaceAndNewlines())
    if let seconds = Double(text), seconds.isFinite {
      return .milliseconds(Int64((max(seconds, 0) * 1000).rounded(.up)))
    }
    for format in formats {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "GMT")
      formatter.dateFormat = format
      if let date = formatter.date(from: text) {
        let seconds = max(date.timeIntervalSince(now), 0)
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
      }
    }
    return nil
  }

  /// IMF-fixdate (what servers send), then the obsolete RFC 850 and asctime forms.
  private static let formats = [
    "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
  ]
}

extension Duration {
  /// The duration in seconds, as a double.
  var seconds: Double {
    let parts = components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }
}
