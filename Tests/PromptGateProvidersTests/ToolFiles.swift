/// Tool-schema files in the three accepted forms, for the request-shape tests.
enum ToolFiles {
  /// The files, by repository path.
  static let files: [String: String] = [
    "prompts/system.md": "You are terse.",
    "tools/search.json": """
    {"type": "function", "function": {"name": "search", "description": "Search the docs",
     "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}
    """,
    "tools/more.json": """
    [{"name": "lookup", "description": "Look an order up",
      "parameters": {"type": "object", "properties": {"id": {"type": "integer"}}}},
     {"name": "refund", "input_schema": {"type": "object", "properties": {}}}]
    """,
  ]

  /// The paths, in the order a behavior lists them.
  static let paths = ["tools/more.json", "tools/search.json"]
}
