import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PromptGateCore
import PromptGateTransport

/// ClickHouse's HTTP interface, as much of it as the report needs: a query in the POST body,
/// its typed parameters as `param_NAME` URL parameters, rows back as `JSONEachRow`. It goes
/// through the one transport and retry policy; the password goes into one header and nowhere
/// else.
struct ClickHouseClient: Sendable {
  /// The server's base URL (`http://host:8123`), without credentials.
  let url: String
  let user: String?
  let password: Secret?
  /// Seconds one query may take, reading its answer included.
  var timeout: Double = 300
  /// Attempts per query (a dropped connection or an overloaded server is retried).
  var attempts = 3

  /// Runs `sql` with `parameters` on `client` and returns its rows. Throws a
  /// ``PromptGateError`` that says what to do: an unreachable server or refused credentials
  /// are `unavailable`; a missing table or column is a `configuration` error.
  func rows(
    _ sql: String, parameters: [String: String], client: HTTPClient, what: String
  ) async throws -> [JSONNode] {
    var request = HTTPClientRequest(url: Self.queryURL(url, parameters: parameters))
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
    request.headers.add(name: "User-Agent", value: "promptgate")
    if let user { request.headers.add(name: "X-ClickHouse-User", value: user) }
    if let password { request.headers.add(name: "X-ClickHouse-Key", value: password.value) }
    request.body = .bytes(Array(sql.utf8))
    let policy = RetryPolicy(initialBackoff: .milliseconds(200), maximumResponseBytes: 64 << 20)
    let target = Self.target(of: url)
    let answer: HTTPTransport.Answer
    do {
      answer = try await policy.run(label: "ClickHouse at \(target)", retries: attempts - 1) { _ in
        let outcome = await HTTPTransport.attempt(
          request, client: client, timeout: timeout, maximumBytes: policy.maximumResponseBytes)
        guard case .success(let answer) = outcome else { return outcome }
        if (200..<300).contains(answer.code) { return .success(answer) }
        let body = String(buffer: answer.body)
        // A query ClickHouse refused (its `Code: N. DB::Exception`) fails the same way again.
        if body.contains("DB::Exception") || [401, 403, 404, 516].contains(answer.code) {
          return .success(answer)
        }
        return HTTPTransport.classify(answer, summary: Self.firstLine(body))
      }
    } catch {
      throw PromptGateError(
        .unavailable,
        scrub(
          "\(error.message); check --clickhouse (or telemetry.clickhouse.url in promptgate.yaml) and that the server's HTTP interface (port 8123) is reachable"
        ))
    }
    let body = String(buffer: answer.body)
    guard (200..<300).contains(answer.code) else {
      throw failure(code: answer.code, body: body, target: target, what: what)
    }
    var rows: [JSONNode] = []
    for line in body.split(separator: "\n", omittingEmptySubsequences: true) {
      do {
        rows.append(try JSONNode.parse(String(line)))
      } catch {
        throw PromptGateError(
          .unavailable,
          "ClickHouse at \(target) answered \(what) with a line that is not JSON (\(error.message)); is --clickhouse the HTTP interface (port 8123)?"
        )
      }
    }
    return rows
  }

  /// What a refused query means, and what to do about it.
  func failure(code: Int, body: String, target: String, what: String) -> PromptGateError {
    let message = scrub(Self.firstLine(body))
    let said = "ClickHouse at \(target) answered HTTP \(code): \(message)"
    let errorCode = Self.errorCode(in: body)
    if [401, 403, 516].contains(code) || [516, 194, 192].contains(errorCode ?? 0) {
      return PromptGateError(
        .unavailable,
        "\(said); the credentials were refused: set CLICKHOUSE_USER and CLICKHOUSE_PASSWORD to a user that may read the traces table"
      )
    }
    switch errorCode {
    case 60?, 81?:
      return PromptGateError(
        .configuration,
        "\(said); name the Collector's traces table with --clickhouse-database and --clickhouse-table (or telemetry.clickhouse in promptgate.yaml), or let its ClickHouse exporter create it (create_schema: true)"
      )
    case 47?, 16?, 43?, 53?, 386?:
      return PromptGateError(
        .configuration,
        "\(said); the table is not the Collector ClickHouse exporter's traces schema, which the report reads (\(ClickHouseQueries.columns))"
      )
    default:
      return PromptGateError(.unavailable, "\(said) (while reading \(what))")
    }
  }

  /// `text` without the password or any registered secret.
  func scrub(_ text: String) -> String { Redactor.scrub(password.scrub(text)) }

  /// ClickHouse's error code in an exception's text (`Code: 60. DB::Exception: ...`).
  static func errorCode(in body: String) -> Int? {
    guard let range = body.range(of: "Code: ") else { return nil }
    return Int(body[range.upperBound...].prefix { $0.isNumber })
  }

  /// The first line of an answer, shortened for a message.
  static func firstLine(_ body: String) -> String {
    let line = body.split(separator: "\n").first.map(String.init) ?? ""
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    return trimmed.count > 500 ? String(trimmed.prefix(500)) + "…" : trimmed
  }

  /// `url` with `parameters` as `param_NAME=VALUE`, every byte but the unreserved ones
  /// percent-encoded (a `+` in a value must not read as a space).
  static func queryURL(_ url: String, parameters: [String: String]) -> String {
    let base = url.hasSuffix("/") ? url : url + "/"
    let query = parameters.sorted { $0.key < $1.key }.map {
      "param_\(percentEncoded($0.key))=\(percentEncoded($0.value))"
    }
    return base + "?" + query.joined(separator: "&")
  }

  static func percentEncoded(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
      let scalar = Unicode.Scalar(byte)
      if byte < 0x80,
        CharacterSet.alphanumerics.contains(scalar) || "-._~".unicodeScalars.contains(scalar)
      {
        result.unicodeScalars.append(scalar)
      } else {
        result += String(format: "%%%02X", byte)
      }
    }
    return result
  }

  /// `host:port` of `url`, for messages (never its user information or path).
  static func target(of url: String) -> String {
    guard let components = URLComponents(string: url), let host = components.host else {
      return "the server"
    }
    let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 8123)
    return "\(host):\(port)"
  }
}
