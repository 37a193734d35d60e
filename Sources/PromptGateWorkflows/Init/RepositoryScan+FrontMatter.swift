import PromptGateCore

extension RepositoryScan {
  /// Where Dotprompt and Prompty front matter holds the model and decoding settings, first
  /// match first: Dotprompt's `model` and `config`, Prompty's `model.configuration` and
  /// `model.parameters`.
  static let frontMatterPlaces: [(Setting.Kind, [String])] = [
    (.model, ["model"]),
    (.model, ["model", "configuration", "name"]),
    (.model, ["model", "configuration", "model"]),
    (.model, ["model", "configuration", "azure_deployment"]),
    (.model, ["model", "configuration", "deployment_name"]),
    (.temperature, ["config", "temperature"]),
    (.temperature, ["model", "parameters", "temperature"]),
    (.maxOutputTokens, ["config", "maxOutputTokens"]),
    (.maxOutputTokens, ["model", "parameters", "max_tokens"]),
    (.maxOutputTokens, ["model", "parameters", "max_completion_tokens"]),
  ]

  /// The settings in the front matter `value` of the prompt file `file`: one of each kind at
  /// most, at the places Dotprompt and Prompty put them.
  static func frontMatterSettings(_ value: JSONValue, file: String) -> [Setting] {
    var found: [Setting] = []
    for (kind, path) in frontMatterPlaces where !found.contains(where: { $0.kind == kind }) {
      var current = value
      for key in path {
        guard case .object(let members) = current, let next = members[key] else {
          current = .null
          break
        }
        current = next
      }
      guard fits(current, kind), let key = path.last else { continue }
      found.append(
        Setting(
          kind: kind, file: file, pointer: path.map { "/" + escape($0) }.joined(), key: key,
          inFrontMatter: true))
    }
    return found
  }
}
