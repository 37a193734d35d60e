import Foundation
import TestSupport
import Testing

@testable import GitKit

/// Configuration files are read with git's rules, so that whether a repository is plain does
/// not depend on how its config happens to be spaced, cased, quoted or commented.
@Suite("GitConfig")
struct GitConfigTests {
  private func parse(_ text: String) -> GitConfig? { GitConfig(text: Array(text.utf8)) }

  @Test("keys with and without spaces, in any case, quoted, escaped, continued and commented")
  func values() throws {
    let config = try #require(
      parse(
        """
        # a comment
        [Core]
        \tWorkTree=/x
        \tbare = false ; trailing comment
        \tfilemode
        [remote "Origin"]
        \turl = "https://example.com/a b" # comment
        [section.Sub] key = inline "quoted # not a comment" \\
        continued
        [alias]
        \tsay = "tab\\there"\t
        """))
    #expect(config.values("core.worktree") == ["/x"])
    #expect(config.values("CORE.BARE") == ["false"])
    #expect(config.values("core.filemode") == [nil])
    #expect(config.values("remote.Origin.url") == ["https://example.com/a b"])
    #expect(config.values("remote.origin.url").isEmpty, "subsections keep their case")
    #expect(config.values("section.sub.key") == ["inline quoted # not a comment continued"])
    #expect(config.values("alias.say") == ["tab\there"])
  }

  @Test(
    "malformed files are refused",
    arguments: [
      "key = outside a section\n", "[core\nbare = true\n", "[core]\nbare = \"unterminated\n",
      "[core]\n1key = x\n", "[core]\nkey = bad \\q escape\n", "[core \"sub]\n",
    ])
  func malformed(_ text: String) {
    #expect(parse(text) == nil)
  }

  @Test("booleans as git reads them")
  func booleans() {
    for value in [nil, "true", "Yes", "on", "1", "7"] { #expect(GitConfig.boolean(value) == true) }
    for value in ["false", "NO", "off", "0", ""] { #expect(GitConfig.boolean(value) == false) }
    #expect(GitConfig.boolean("maybe") == nil)
  }

  @Test(
    "a repository is plain only when its config sets no work tree, extension, include or bare",
    arguments: [
      ("[core]\n\tbare = false\n\tlogallrefupdates = true\n", true),
      ("[core]\n\trepositoryformatversion = 1\n", true),
      ("[core]\n\t# worktree = /x\n", true),
      ("[user]\n\tname = \"worktree = /x\"\n", true),
      ("[core]\n\tworktree=/x\n", false),
      ("[core]\n\tworktree = /x\n", false),
      ("[CORE]\n\tWorkTree = /x\n", false),
      ("[core]\n\tbare\n", false),
      ("[core]\n\tbare = yes\n", false),
      ("[core]\n\tbare = \"true\"\n", false),
      ("[extensions]\n\tobjectFormat = sha256\n", false),
      ("[Extensions]\n\tnoop\n", false),
      ("[include]\n\tpath = other.config\n", false),
      ("[includeIf \"gitdir:/x/\"]\n\tpath = other.config\n", false),
      ("[core]\n\trepositoryformatversion = 2\n", false),
      ("[core\n", false),
    ])
  func plain(_ text: String, _ isPlain: Bool) throws {
    let repository = try TemporaryRepository()
    try repository.write(".git/config", text)
    #expect((GitLayout.discover(from: repository.path, environment: [:]) != nil) == isPlain)
  }
}
