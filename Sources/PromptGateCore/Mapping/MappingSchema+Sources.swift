/// The schema's shared definitions: names, patterns, and the source forms of each kind of
/// component (docs/mapping.md, "Sources").
extension MappingSchema {
  /// The `$defs` name of the source definition for `component`'s kind.
  static func sourceDefinition(of component: Component) -> String {
    switch component.kind {
    case .digest: return "filesOrValueSource"
    case .name: return "modelSource"
    case .number: return "temperatureSource"
    case .count: return "maxOutputTokensSource"
    }
  }

  /// A number written as text, as the parser reads a quoted literal.
  static let numericText = #"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"#

  /// Components by name, as `protects` and `diff` name them.
  static let componentNames = ["all", "decoding"] + Component.allCases.map(\.rawValue)

  static let pointerShorthand: SchemaJSON = [
    "type": "string", "pattern": "#",
    "description":
      "FILE#/POINTER: the value at a JSON Pointer in a YAML or JSON file, or in the front matter of a .prompt or .prompty file.",
  ]

  /// `{value: V}`, `{file: F, pointer: /P}` or `{file: F, regex: R}` with `value` as given.
  static func valueLongSource(_ value: SchemaJSON, _ description: String) -> SchemaJSON {
    [
      "$ref": "#/$defs/longSource",
      "not": ["required": ["files"]],
      "properties": ["value": value],
      "description": SchemaJSON(.string(description)),
    ]
  }

  /// A long-form source holds exactly one form: `files`, `file` with `pointer`, `file` with
  /// `regex` (and `group`), or `value`.
  static let longSourceForms: SchemaJSON = [
    [
      "required": ["files"],
      "not": [
        "anyOf": [
          ["required": ["file"]], ["required": ["pointer"]], ["required": ["regex"]],
          ["required": ["value"]], ["required": ["group"]],
        ]
      ],
    ],
    [
      "required": ["file", "pointer"],
      "not": [
        "anyOf": [
          ["required": ["files"]], ["required": ["regex"]], ["required": ["value"]],
          ["required": ["group"]], ["required": ["hash"]],
        ]
      ],
    ],
    [
      "required": ["file", "regex"],
      "not": [
        "anyOf": [
          ["required": ["files"]], ["required": ["pointer"]], ["required": ["value"]],
          ["required": ["hash"]],
        ]
      ],
    ],
    [
      "required": ["value"],
      "not": [
        "anyOf": [
          ["required": ["files"]], ["required": ["pointer"]], ["required": ["regex"]],
          ["required": ["group"]], ["required": ["hash"]],
        ]
      ],
    ],
  ]

  static let sourceDefinitions: [String: SchemaJSON] = [
    "text": [
      "type": ["string", "number", "boolean"],
      "description": "A scalar, read as text.",
    ],
    "name": [
      "type": "string",
      "pattern": #"^(?!.*\.\.)(?!.*\.lock$)[A-Za-z0-9][A-Za-z0-9._-]*$"#,
      "description":
        "Letters, digits, '.', '_' and '-', starting with a letter or digit (names become parts of environment variable and tag names).",
    ],
    "patterns": [
      "description":
        "A pattern or a list of patterns in gitignore syntax, anchored at the repository root; '!' excludes.",
      "anyOf": [
        ["$ref": "#/$defs/text"],
        ["type": "array", "items": ["$ref": "#/$defs/text"], "minItems": 1],
      ],
      "examples": [["prompts/**/*.md", "!prompts/drafts/**"]],
    ],
    "componentName": [
      "enum": SchemaJSON(.array(componentNames.map(JSONValue.string))),
      "description": "A component: `all`, `decoding` (both decoding fields), or one component.",
    ],
    "filesOrValueSource": [
      "description":
        "Files (a pattern, a list of patterns or {files: [...]}), or a value (FILE#/POINTER, {file: F, pointer: /P}, {file: F, regex: R}, {value: V}).",
      "anyOf": [
        ["type": "string"],
        ["type": "array", "items": ["$ref": "#/$defs/text"], "minItems": 1],
        ["$ref": "#/$defs/longSource"],
      ],
    ],
    "modelSource": [
      "description":
        "The model's name: a literal, FILE#/POINTER, {file: F, pointer: /P}, {file: F, regex: R} or {value: V}.",
      "anyOf": [
        ["$ref": "#/$defs/text"],
        valueLongSource(["$ref": "#/$defs/text"], "The model's name in long form."),
      ],
    ],
    "temperatureSource": [
      "description":
        "A finite number: a literal, FILE#/POINTER, {file: F, pointer: /P}, {file: F, regex: R} or {value: V}.",
      "anyOf": [
        ["type": "number"],
        pointerShorthand,
        ["type": "string", "pattern": SchemaJSON(.string(numericText))],
        valueLongSource(
          [
            "anyOf": [
              ["type": "number"], ["type": "string", "pattern": SchemaJSON(.string(numericText))],
            ]
          ], "The temperature in long form."),
      ],
    ],
    "maxOutputTokensSource": [
      "description":
        "A whole number from 0: a literal, FILE#/POINTER, {file: F, pointer: /P}, {file: F, regex: R} or {value: V}.",
      "anyOf": [
        ["type": "integer", "minimum": 0, "exclusiveMaximum": 9_007_199_254_740_992],
        pointerShorthand,
        ["type": "string", "pattern": #"^\s*\+?[0-9]+(\.0*)?\s*$"#],
        valueLongSource(
          [
            "anyOf": [
              ["type": "integer", "minimum": 0, "exclusiveMaximum": 9_007_199_254_740_992],
              ["type": "string", "pattern": #"^\s*\+?[0-9]+(\.0*)?\s*$"#],
            ]
          ], "The token limit in long form."),
      ],
    ],
  ]
}
