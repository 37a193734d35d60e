import Testing

@testable import PromptGateTelemetry

@Suite("Telemetry timestamps")
struct TimestampTests {
  @Test("RFC 3339 times read as Unix milliseconds")
  func parse() {
    #expect(Timestamp.parse(rfc3339: "1970-01-01T00:00:00Z") == 0)
    #expect(Timestamp.parse(rfc3339: "2026-01-01T00:00:00Z") == 1_767_225_600_000)
    #expect(Timestamp.parse(rfc3339: "2026-01-01 00:00:00.5z") == 1_767_225_600_500)
    #expect(Timestamp.parse(rfc3339: "2026-01-01T02:30:00.123456+02:30") == 1_767_225_600_123)
    #expect(Timestamp.parse(rfc3339: "2025-12-31T19:00:00-05:00") == 1_767_225_600_000)
    #expect(Timestamp.parse(rfc3339: "2024-02-29T12:00:00Z") == 1_709_208_000_000)
    #expect(Timestamp.parse(rfc3339: "1969-12-31T23:59:59Z") == -1000)
    for bad in [
      "2026-01-01", "2026-01-01T00:00:00", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
      "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk", "",
    ] {
      #expect(Timestamp.parse(rfc3339: bad) == nil, "\(bad)")
    }
  }

  @Test("formatting and parsing round-trip, also before 1970")
  func roundTrip() {
    for millis: Int64 in [0, 1, 999, 1_767_225_600_123, 951_782_400_000, -1, -86_400_001] {
      #expect(Timestamp.parse(rfc3339: Timestamp.format(millis)) == millis, "\(millis)")
    }
    #expect(Timestamp.format(1_767_225_600_123) == "2026-01-01T00:00:00.123Z")
  }

  @Test("--since and --until take a time or a duration before now")
  func bounds() {
    let now: Int64 = 1_767_225_600_000
    #expect(Timestamp.bound("7d", now: now) == now - 7 * 86_400_000)
    #expect(Timestamp.bound("24h", now: now) == now - 86_400_000)
    #expect(Timestamp.bound("30m", now: now) == now - 1_800_000)
    #expect(Timestamp.bound("90s", now: now) == now - 90_000)
    #expect(Timestamp.bound("2026-01-01T00:00:00Z", now: 0) == now)
    for bad in ["7", "d", "-1d", "7w", "1.5h", "99999999999999999d"] {
      #expect(Timestamp.bound(bad, now: now) == nil, "\(bad)")
    }
  }
}
