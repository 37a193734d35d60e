import PromptGateCore
import PromptGateProviders
import Testing

@Suite("User message templates")
struct TemplateTests {
  let vars: [String: JSONValue] = [
    "name": .string("Ada"),
    "count": .number(3),
    "ratio": .number(0.5),
    "flag": .bool(true),
    "nothing": .null,
    "ticket": .object([
      "subject": .string("Refund"), "meta": .object(["priority": .string("high")]),
    ]),
    "tags": .array([.string("a"), .number(1)]),
  ]

  @Test func replacesPlaceholdersAndKeepsTheRest() throws {
    let text = try Template.render("Hello {{name}}, you have {{count}} items.", vars: vars)
    #expect(text == "Hello Ada, you have 3 items.")
  }

  @Test func allowsWhitespaceInsideTheBraces() throws {
    #expect(try Template.render("{{ name }}|{{\tname\n}}", vars: vars) == "Ada|Ada")
  }

  @Test func followsDottedPathsIntoObjectsAndLists() throws {
    let text = try Template.render(
      "{{ticket.subject}} {{ticket.meta.priority}} {{tags.0}} {{tags.1}}", vars: vars)
    #expect(text == "Refund high a 1")
  }

  @Test func insertsNonStringsAsCompactJSON() throws {
    let text = try Template.render(
      "{{ratio}} {{flag}} {{nothing}} {{tags}} {{ticket.meta}}", vars: vars)
    #expect(text == #"0.5 true null ["a",1] {"priority":"high"}"#)
  }

  @Test func insertsStringsAsTheyAre() throws {
    let vars: [String: JSONValue] = ["q": .string("say \"hi\" {{not a placeholder}}\n")]
    #expect(try Template.render("<{{q}}>", vars: vars) == "<say \"hi\" {{not a placeholder}}\n>")
  }

  @Test func leavesTextWithoutPlaceholdersAlone() throws {
    #expect(try Template.render("plain { text } }}", vars: [:]) == "plain { text } }}")
    #expect(try Template.render("", vars: [:]) == "")
  }

  @Test func namesAnUnknownVariable() {
    #expect(throws: TemplateError.unknownVariable("missing")) {
      try Template.render("x {{missing}}", vars: vars)
    }
    #expect(throws: TemplateError.unknownVariable("ticket.body")) {
      try Template.render("{{ ticket.body }}", vars: vars)
    }
    #expect(throws: TemplateError.unknownVariable("name.first")) {
      try Template.render("{{name.first}}", vars: vars)
    }
    #expect(throws: TemplateError.unknownVariable("tags.5")) {
      try Template.render("{{tags.5}}", vars: vars)
    }
    let message = String(describing: TemplateError.unknownVariable("missing"))
    #expect(message.contains("missing"))
  }

  @Test func rejectsMalformedPlaceholders() {
    #expect(throws: TemplateError.self) { try Template.render("{{name", vars: vars) }
    #expect(throws: TemplateError.invalidPlaceholder("")) {
      try Template.render("{{ }}", vars: vars)
    }
    #expect(throws: TemplateError.invalidPlaceholder("a..b")) {
      try Template.render("{{a..b}}", vars: vars)
    }
    #expect(throws: TemplateError.invalidPlaceholder("a b")) {
      try Template.render("{{a b}}", vars: vars)
    }
  }
}
