import Foundation

/// Times as telemetry writes them: RFC 3339 text or Unix milliseconds, and the relative bounds
/// (`7d`, `24h`, `30m`, `90s`) `--since` and `--until` take.
public enum Timestamp {
  /// The Unix milliseconds of an RFC 3339 date-time (`2026-01-02T03:04:05.678Z`, an offset such
  /// as `+02:00`, a space instead of `T`), or nil when `text` is not one.
  public static func parse(rfc3339 text: String) -> Int64? {
    var text = text
    return text.withUTF8 { parse(rfc3339: $0) }
  }

  static func parse(rfc3339 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    var offset = 0
    func number(_ width: Int) -> Int? {
      guard offset + width <= bytes.count else { return nil }
      var value = 0
      for index in offset..<offset + width {
        let byte = bytes[index]
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      offset += width
      return value
    }
    func expect(_ characters: String) -> Bool {
      guard offset < bytes.count, characters.utf8.contains(bytes[offset]) else { return false }
      offset += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"),
      let day = number(2), expect("Tt "), let hour = number(2), expect(":"),
      let minute = number(2), expect(":"), let second = number(2)
    else { return nil }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
      hour < 24, minute < 60, second < 61
    else { return nil }
    var millis = 0
    if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
      offset += 1
      var scale = 100
      let first = offset
      while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 {
        millis += Int(bytes[offset] - 0x30) * scale
        scale /= 10
        offset += 1
      }
      guard offset > first else { return nil }
    }
    var offsetSeconds = 0
    if expect("Zz") {
    } else if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == 0x2D {
      let sign = bytes[offset] == UInt8(ascii: "+") ? 1 : -1
      offset += 1
      guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60
      else { return nil }
      offsetSeconds = sign * (hours * 3600 + minutes * 60)
    } else {
      return nil
    }
    guard offset == bytes.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
    return Int64(seconds) * 1000 + Int64(millis)
  }

  /// `milliseconds` as RFC 3339 UTC text with milliseconds.
  public static func format(_ milliseconds: Int64) -> String {
    let (seconds, millis) = milliseconds.quotientAndRemainder(dividingBy: 1000)
    var total = Int(seconds)
    var fraction = Int(millis)
    if fraction < 0 {
      fraction += 1000
      total -= 1
    }
    let days = Int((Double(total) / 86400).rounded(.down))
    let inDay = total - days * 86400
    let (year, month, day) = civilFromDays(days)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let millisText = String(fraction + 1000).dropFirst()
    return "\(year)-\(two(month))-\(two(day))T\(two(inDay / 3600)):\(two(inDay / 60 % 60)):"
      + "\(two(inDay % 60)).\(millisText)Z"
  }

  /// A bound for `--since`/`--until`: RFC 3339 text, or a duration before `now` (`7d`, `24h`,
  /// `30m`, `90s`); nil when `text` is neither.
  public static func bound(_ text: String, now: Int64) -> Int64? {
    if let time = parse(rfc3339: text) { return time }
    guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
    let seconds: Int64
    switch unit {
    case "d": seconds = 86400
    case "h": seconds = 3600
    case "m": seconds = 60
    case "s": seconds = 1
    default: return nil
    }
    let (span, overflow) = amount.multipliedReportingOverflow(by: seconds * 1000)
    return overflow ? nil : now - span
  }

  /// The current time in Unix milliseconds.
  public static var now: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let dayOfEra = z - era * 146097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
