/// The mapping file from the issue, with files that make every source resolve: the common
/// starting point of tests that need a realistic repository.
public enum ExampleProject {
  /// `promptgate.yaml` exactly as the issue shows it.
  public static let mapping = """
    behaviors:
      support-agent:
        prompt: [prompts/support/**/*.md]                 # file globs: a file set
        model: config/llm.yaml#/support/model             # FILE#JSON-Pointer into YAML or JSON
        toolSchema: tools/support/*.json
        retrievalPolicy: config/retrieval.yaml#/support   # a subtree
        safetyPolicy: {files: [policies/safety.md], optional: true}
        decoding:
          temperature: config/llm.yaml#/support/temperature
          maxOutputTokens: config/llm.yaml#/support/max_tokens
    evalSets:
      support-smoke:
        tier: fast
        cases: evals/support/smoke.jsonl
        protects: {support-agent: [prompt, toolSchema, model, decoding]}
      support-release:
        tier: release
        cases: evals/support/release.jsonl
        protects: {support-agent: all}
    global: [evals/lib/**]                               # a change here selects every eval set

    """

  /// The files the mapping reads, by repository path.
  public static let files: [String: String] = [
    "promptgate.yaml": mapping,
    "prompts/support/system.md": "You are a support agent for an online shop.\nBe brief.\n",
    "prompts/support/examples/refund.md": "Q: Can I get a refund?\nA: Yes, within 30 days.\n",
    "config/llm.yaml": """
    support:
      model: gpt-4o-mini
      temperature: 0.2
      max_tokens: 1024
    logging:
      level: info

    """,
    "config/retrieval.yaml": """
    support:
      index: help-center
      top_k: 5
      filters: {locale: en, audience: customers}
    billing:
      index: invoices

    """,
    "tools/support/lookup_order.json": """
    {"name": "lookup_order", "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}

    """,
    "policies/safety.md": "Never reveal another customer's data.\n",
    "evals/support/smoke.jsonl": "{\"input\": \"refund?\", \"target\": \"30 days\"}\n",
    "evals/support/release.jsonl": "{\"input\": \"where is my order\", \"target\": \"tracking\"}\n",
    "evals/lib/harness.py": "def run(case):\n    return case\n",
    "README.md": "Example support bot.\n",
  ]

  /// Writes every file of the example into `repository` (without committing).
  public static func write(to repository: TemporaryRepository) throws {
    for (path, text) in files.sorted(by: { $0.key < $1.key }) {
      try repository.write(path, text)
    }
  }

  /// A repository holding the example, committed once as "Example".
  public static func repository() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try write(to: repository)
    try repository.commit("Example")
    return repository
  }
}
