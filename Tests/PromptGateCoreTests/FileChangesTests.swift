import PromptGateCore
import Testing

@Suite("FileChanges")
struct FileChangesTests {
  @Test("added, removed and modified paths")
  func basic() {
    let changes = FileChanges(
      old: ["a.md": "1", "b.md": "2", "c.md": "3"],
      new: ["a.md": "1", "b.md": "20", "d.md": "4"])
    #expect(changes.added == ["d.md"])
    #expect(changes.removed == ["c.md"])
    #expect(changes.modified == ["b.md"])
    #expect(changes.renamed.isEmpty)
    #expect(!changes.isEmpty)
    #expect(Set(changes.paths) == ["b.md", "c.md", "d.md"])
  }

  @Test("a path that moves with its content is a rename, not a removal and an addition")
  func rename() {
    let changes = FileChanges(
      old: ["old/a.md": "1", "keep.md": "2", "gone.md": "3"],
      new: ["new/a.md": "1", "keep.md": "2", "fresh.md": "4"])
    #expect(changes.renamed.map(\.from) == ["old/a.md"])
    #expect(changes.renamed.map(\.to) == ["new/a.md"])
    #expect(changes.added == ["fresh.md"])
    #expect(changes.removed == ["gone.md"])
    #expect(changes.modified.isEmpty)
    #expect(Set(changes.paths) == ["old/a.md", "new/a.md", "fresh.md", "gone.md"])
  }

  @Test("a move with an edit is a removal and an addition")
  func moveWithEdit() {
    let changes = FileChanges(old: ["a.md": "1"], new: ["b.md": "2"])
    #expect(changes.renamed.isEmpty)
    #expect(changes.added == ["b.md"])
    #expect(changes.removed == ["a.md"])
  }

  @Test("identical sides and empty sides")
  func empty() {
    #expect(FileChanges(old: ["a": "1"], new: ["a": "1"]).isEmpty)
    #expect(FileChanges(old: [:], new: [:]).isEmpty)
    #expect(FileChanges(old: [:], new: ["a": "1"]).added == ["a"])
    #expect(FileChanges(old: ["a": "1"], new: [:]).removed == ["a"])
  }
}
