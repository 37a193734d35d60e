import PromptGateCore
import Testing

@Suite("JSONPointer (RFC 6901)")
struct JSONPointerTests {
  @Test(
    "parsing unescapes ~1 to / and ~0 to ~",
    arguments: [
      ("", [String]()), ("/", [""]), ("/a/b", ["a", "b"]), ("/a~1b/c~0d", ["a/b", "c~d"]),
      ("/~01", ["~1"]), ("/a//b", ["a", "", "b"]), ("/0", ["0"]),
    ])
  func parse(text: String, tokens: [String]) throws {
    let pointer = try #require(JSONPointer(text))
    #expect(pointer.tokens == tokens)
    #expect(pointer.description == text)
  }

  @Test(
    "invalid pointers are rejected",
    arguments: ["a/b", "support", "#/a", "/~3", "/a~", "/~a", "/[a", "/[a]", "/[=x]", "/x/[k=v"])
  func invalid(text: String) {
    #expect(JSONPointer(text) == nil)
  }

  private let document = JSONValue.object([
    "a": .object(["b": .array([.number(10), .number(20), .object(["c": .string("x")])])]),
    "m~n": .string("tilde"),
    "p/q": .string("slash"),
    "": .string("empty key"),
  ])

  private func resolve(_ text: String) throws -> Result<JSONValue, JSONPointer.Miss> {
    try #require(JSONPointer(text)).resolve(in: document)
  }

  @Test("resolves in objects and arrays")
  func resolveFound() throws {
    #expect(try resolve("").get() == document)
    #expect(try resolve("/a/b/0").get() == .number(10))
    #expect(try resolve("/a/b/2/c").get() == .string("x"))
    #expect(try resolve("/m~0n").get() == .string("tilde"))
    #expect(try resolve("/p~1q").get() == .string("slash"))
    #expect(try resolve("/").get() == .string("empty key"))
    #expect(
      try resolve("/a/b").get() == .array([.number(10), .number(20), .object(["c": .string("x")])]))
  }

  @Test(
    "a miss names the deepest value found and the missing token",
    arguments: [
      ("/x", "", "x"), ("/a/x/y", "/a", "x"), ("/a/b/3", "/a/b", "3"),
      ("/a/b/01", "/a/b", "01"), ("/a/b/-", "/a/b", "-"), ("/a/b/2/zz", "/a/b/2", "zz"),
      ("/a/b/0/k", "/a/b/0", "k"),
    ])
  func resolveMiss(text: String, found: String, token: String) throws {
    switch try resolve(text) {
    case .success(let value):
      Issue.record("\(text) unexpectedly resolved to \(value)")
    case .failure(let miss):
      #expect(miss.found.description == found)
      #expect(miss.token == token)
    }
  }
}
