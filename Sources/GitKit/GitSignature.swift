internal import Clibgit2
import Foundation

/// A name, an email address and a time with its UTC offset: who made a tag or commit, and when.
public struct GitSignature: Sendable, Equatable {
  /// The name.
  public let name: String
  /// The email address, without angle brackets.
  public let email: String
  /// Seconds since 1970-01-01 UTC.
  public let time: Int64
  /// The time zone's offset from UTC in minutes (east positive), as git records it.
  public let offsetMinutes: Int

  /// Creates a signature.
  public init(name: String, email: String, time: Int64, offsetMinutes: Int) {
    self.name = name
    self.email = email
    self.time = time
    self.offsetMinutes = offsetMinutes
  }

  init(_ signature: git_signature) {
    name = signature.name.map { String(cString: $0) } ?? ""
    email = signature.email.map { String(cString: $0) } ?? ""
    time = Int64(signature.when.time)
    offsetMinutes = Int(signature.when.offset)
  }

  /// The time as git prints it in ISO 8601 form: `2026-01-01 12:00:00 +0000`, in its own zone.
  public var isoDate: String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
  }
}

extension Repository {
  /// The committer identity git would use here: `GIT_COMMITTER_NAME` / `GIT_COMMITTER_EMAIL`
  /// (`EMAIL` too for the address), else `committer.name` / `committer.email`, else `user.name`
  /// / `user.email` from the configuration; `GIT_COMMITTER_DATE` or now. Throws an `.invalid`
  /// error saying how to set one when the name or the address is missing, instead of guessing
  /// one from the host as git may.
  public func committerSignature(
    environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()
  ) throws -> GitSignature {
    func nonEmpty(_ value: String?) -> String? {
      guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
      return value
    }
    let name =
      try nonEmpty(environment["GIT_COMMITTER_NAME"]) ?? nonEmpty(configString("committer.name"))
      ?? nonEmpty(configString("user.name"))
    let email =
      try nonEmpty(environment["GIT_COMMITTER_EMAIL"])
      ?? nonEmpty(configString("committer.email")) ?? nonEmpty(configString("user.email"))
      ?? nonEmpty(environment["EMAIL"])
    guard let name, let email else {
      let missing = [name == nil ? "name" : nil, email == nil ? "email address" : nil]
        .compactMap { $0 }.joined(separator: " and ")
      throw GitError(
        .invalid,
        "no committer identity to sign the tag with: the \(missing) "
          + (name == nil && email == nil ? "are" : "is") + " not set\n"
          + "  fix: git config user.name \"Your Name\" && git config user.email you@example.com"
          + " (--global for every repository), or set GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL")
    }
    let (time, offset) = try Self.parseDate(nonEmpty(environment["GIT_COMMITTER_DATE"]), now: now)
    return GitSignature(
      name: name.trimmingCharacters(in: .whitespaces),
      email: email.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")), time: time,
      offsetMinutes: offset)
  }

  /// Seconds and UTC offset (minutes) for a `GIT_COMMITTER_DATE` value in one of git's usual
  /// forms: `1767268800 +0000` or `@1767268800`, ISO 8601 (`2026-01-01T12:00:00+01:00`,
  /// `2026-01-01 12:00:00 +0100`) or RFC 2822 (`Thu, 1 Jan 2026 12:00:00 +0000`); `now` when nil.
  static func parseDate(_ text: String?, now: Date) throws -> (Int64, Int) {
    guard let text = text?.trimmingCharacters(in: .whitespaces) else {
      let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
      return (seconds, TimeZone.current.secondsFromGMT(for: now) / 60)
    }
    let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    let stamp = parts.first.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 } ?? ""
    if let seconds = Int64(stamp), parts.count <= 2 {
      let offset = parts.count == 2 ? offsetMinutes(parts[1]) : 0
      if let offset { return (seconds, offset) }
    }
    let formats = [
      "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXX", "yyyy-MM-dd HH:mm:ss Z",
      "yyyy-MM-dd HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss",
      "EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z",
    ]
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone.current
    for format in formats {
      formatter.dateFormat = format
      guard let date = formatter.date(from: text) else { continue }
      let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
      let zone = zoneSuffix(text).flatMap(offsetMinutes)
      return (seconds, zone ?? TimeZone.current.secondsFromGMT(for: date) / 60)
    }
    throw GitError(
      .invalid,
      "GIT_COMMITTER_DATE '\(text)' is not a date this tool reads\n"
        + "  fix: give seconds and an offset ('1767268800 +0000') or ISO 8601 ('2026-01-01T12:00:00Z')"
    )
  }

  /// The trailing zone of an ISO 8601 or RFC 2822 date: `Z`, `+01:00`, `+0100`; nil when none.
  private static func zoneSuffix(_ text: String) -> String? {
    if text.hasSuffix("Z") { return "Z" }
    for length in [6, 5] where text.count > length {
      let suffix = String(text.suffix(length))
      if let sign = suffix.first, sign == "+" || sign == "-", offsetMinutes(suffix) != nil {
        return suffix
      }
    }
    return nil
  }

  /// Minutes for `+hhmm`, `-hh:mm` or `Z`; nil for anything else.
  private static func offsetMinutes(_ text: String) -> Int? {
    if text == "Z" { return 0 }
    let digits = text.dropFirst().filter { $0 != ":" }
    guard let sign = text.first, sign == "+" || sign == "-", digits.count == 4,
      let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)),
      hours < 24, minutes < 60
    else { return nil }
    return (sign == "-" ? -1 : 1) * (hours * 60 + minutes)
  }
}
