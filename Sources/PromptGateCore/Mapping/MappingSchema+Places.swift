/// Every place of the mapping file with its keys, descriptions and examples: what editors show.
/// A key the parser learns goes here too (the schema tests name the place and the key that is
/// missing), and then `swift run promptgate-schema > schema/promptgate.schema.json`.
extension MappingSchema {
  /// The places, the top level first.
  public static let places: [Place] = [
    topLevel, behavior, decoding, longSource, messages, evalSet, budgets, judge, provider,
    price, limits, hook, telemetry, telemetryClickHouse,
  ]

  static let topLevel = Place(
    "the top level", definition: nil,
    "PromptGate's mapping file: what makes up each behavior, and which eval sets protect which components.",
    keys: [
      Key(
        "behaviors", .named("behaviors.NAME", checksNames: true),
        "Behavior name → its components. Each behavior gets a behavior version: one id over the prompt, model, tool schemas, retrieval and safety policies and decoding settings."
      ),
      Key(
        "evalSets", .named("evalSets.NAME", checksNames: true),
        "Eval set name → its tier, cases and the components it protects."),
      Key("global", .patterns, "Patterns; a change to a matching file selects every eval set."),
      Key(
        "providers", .named("providers.NAME", checksNames: true),
        "Provider name → how eval cases are run: exec (your own harness), openai or anthropic."),
      Key(
        "prices", .named("prices.MODEL", checksNames: false),
        "Model name → its price per million tokens, for cost budgets and `limits.maxCost`."),
      Key("limits", .place("limits"), "Caps per gate run; reaching one stops the run with exit 3."),
      Key("hook", .place("hook"), "How the pre-commit and pre-push hooks run the gate."),
      Key(
        "refusalPhrases", .texts,
        "Phrases the `is-refusal` assertion looks for, replacing the default list."),
      Key(
        "telemetry", .place("telemetry"),
        "Where `promptgate report` reads production telemetry when it is given no source."),
    ],
    required: ["behaviors"],
    examples: [
      [
        "behaviors": [
          "support-agent": [
            "prompt": ["prompts/support/**/*.md"], "model": "config/llm.yaml#/support/model",
          ]
        ],
        "evalSets": [
          "support-smoke": [
            "tier": "fast", "provider": "harness", "cases": "evals/support/smoke.jsonl",
            "protects": ["support-agent": "all"],
          ]
        ],
        "global": ["evals/lib/**"],
        "providers": ["harness": ["type": "exec", "command": ["python3", "evals/harness.py"]]],
        "prices": ["gpt-4o-mini": ["input": 0.15, "output": 0.6]],
        "limits": ["maxCalls": 2000, "maxCost": 5],
        "hook": ["onUnavailable": "warn", "timeout": 60],
        "refusalPhrases": ["I can't help", "I cannot help"],
        "telemetry": ["files": ["telemetry/*.jsonl"]],
      ]
    ])

  static let behavior = Place(
    "behaviors.NAME", definition: "behavior",
    "One production prompt with everything around it. A component left out is null.",
    keys: [
      Key(
        "prompt", .source(.prompt),
        "The prompt files (a pattern, a list of patterns, or {files: [...]}), or a value."),
      Key(
        "model", .source(.model),
        "The model's name: a literal, FILE#/POINTER into YAML or JSON, {file: F, regex: R} for a name set in code, or {value: V}."
      ),
      Key(
        "toolSchema", .source(.toolSchema),
        "The tool / function schemas: files (JSON and YAML hash in canonical form), or a value."),
      Key(
        "retrievalPolicy", .source(.retrievalPolicy),
        "The retrieval policy: files, or a value such as a subtree of a config file (FILE#/POINTER)."
      ),
      Key("safetyPolicy", .source(.safetyPolicy), "The safety policy: files, or a value."),
      Key("decoding", .place("behaviors.NAME.decoding"), "The decoding settings."),
      Key(
        "messages", .place("messages"),
        "How the HTTP providers build the conversation for this behavior's cases."),
    ],
    examples: [
      [
        "prompt": ["prompts/support/**/*.md"],
        "model": "config/llm.yaml#/support/model",
        "toolSchema": "tools/support/*.json",
        "retrievalPolicy": "config/retrieval.yaml#/support",
        "safetyPolicy": ["files": ["policies/safety.md"], "optional": true],
        "decoding": [
          "temperature": "config/llm.yaml#/support/temperature",
          "maxOutputTokens": "config/llm.yaml#/support/max_tokens",
        ],
        "messages": ["system": "prompts/support/system.md", "user": "Customer: {{question}}"],
      ]
    ])

  static let decoding = Place(
    "behaviors.NAME.decoding", definition: "decoding", "The decoding settings of a behavior.",
    keys: [
      Key(
        "temperature", .source(.temperature),
        "The sampling temperature: a number, FILE#/POINTER, or a long-form source."),
      Key(
        "maxOutputTokens", .source(.maxOutputTokens),
        "The output token limit: a whole number from 0, FILE#/POINTER, or a long-form source."),
    ],
    examples: [
      ["temperature": 0.2, "maxOutputTokens": 1024],
      [
        "temperature": "config/llm.yaml#/support/temperature",
        "maxOutputTokens": ["file": "config/llm.yaml", "pointer": "/support/max_tokens"],
      ],
    ])

  static let longSource = Place(
    "a long-form source", definition: "longSource",
    "A source in long form: exactly one of {files: [GLOB]}, {file: F, pointer: /P}, {file: F, regex: R, group: N}, {value: V}; each may add `optional: true`, and `files` may add `hash: body`.",
    keys: [
      Key("files", .patterns, "The files the patterns match."),
      Key(
        "file", .text,
        "The file a pointer or regex reads, relative to the repository root (a pointer reads it as JSON when it ends in .json, the front matter of a .prompt or .prompty file, else as YAML)."
      ),
      Key(
        "pointer", .text,
        "A JSON Pointer (RFC 6901) into `file`; `[KEY=VALUE]` selects a list element by value."),
      Key(
        "regex", .text,
        "An ICU regular expression that must match `file` exactly once; ^ and $ match at line boundaries."
      ),
      Key(
        "group", .integer(0...999),
        "The capture group of `regex` to take (0 is the whole match; default: 1 when the regex has a group)."
      ),
      Key("value", .anyValue, "A literal value."),
      Key(
        "optional", .flag,
        "When true, a source that matches nothing gives null instead of making the behavior absent."
      ),
      Key(
        "hash", .choice(MappingParser.sourceHashes),
        "With `files`: `body` hashes .prompt and .prompty files by their prompt text alone, without the front matter; `file` (the default) hashes whole files."
      ),
    ],
    examples: [
      ["files": ["policies/safety.md"], "optional": true],
      ["files": ["prompts/support.prompty"], "hash": "body"],
      ["file": "config/llm.yaml", "pointer": "/support/model"],
      ["file": "app/summarizer.py", "regex": #"^MODEL = "([^"]+)"$"#, "group": 1],
      ["value": 0],
    ],
    rules: ["oneOf": longSourceForms])

  static let messages = Place(
    "messages", definition: "messages",
    "How an HTTP provider builds the conversation: the system message from a prompt file, the user message from a template over the case's variables.",
    keys: [
      Key("system", .text, "The prompt file sent as the system message, relative to the root."),
      Key("user", .text, "The user message template, with {{name}} placeholders."),
    ],
    required: ["user"],
    examples: [["system": "prompts/support/system.md", "user": "Customer: {{question}}"]])

  static let evalSet = Place(
    "evalSets.NAME", definition: "evalSet",
    "An eval set: cases plus how to run and score them, its tier, and the components it protects.",
    keys: [
      Key(
        "tier", .text,
        "`fast` (pre-commit hook, pull requests), `release` (release branches), or a name of your own."
      ),
      Key("cases", .text, "The path of the cases file (JSONL or YAML), relative to the root."),
      Key(
        "files", .patterns,
        "Patterns for files the set's harness reads; changing one selects the set."),
      Key(
        "protects", .protects,
        "Behavior name → `all`, or a list of component names (`decoding` for both decoding fields)."
      ),
      Key("description", .text, "What the set checks."),
      Key("provider", .text, "The provider (a key of `providers`) that runs the cases."),
      Key(
        "behavior", .text,
        "The behavior the cases run against; needed only when the set protects several."),
      Key("repeat", .integer(Ranges.repeats), "Runs per case (default 1)."),
      Key(
        "passAtLeast", .integer(Ranges.repeats),
        "Passing runs a case needs, at most `repeat` (default: a majority)."),
      Key(
        "alpha", .number(Ranges.alpha),
        "Significance level of the set-level (drift) test (default 0.005)."),
      Key(
        "caseAlpha", .number(Ranges.alpha),
        "Significance level of each case's exact test, after Holm's control (default 0.005)."),
      Key(
        "maxRepeat", .integer(Ranges.repeats),
        "Runs per side a case whose runs disagree is re-sampled to (default 15)."),
      Key(
        "adaptive", .flag,
        "Whether cases whose runs disagree are re-sampled (default true)."),
      Key("floor", .number(Ranges.fraction), "The lowest acceptable pass rate, from 0 to 1."),
      Key("quarantine", .texts, "Known-flaky case ids: reported, never deciding."),
      Key("budgets", .place("evalSets.NAME.budgets"), "Metric budgets relative to the baseline."),
      Key("judge", .place("evalSets.NAME.judge"), "The judge that grades `llm-rubric` assertions."),
      Key("messages", .place("messages"), "How HTTP providers build messages for this set."),
      Key(
        "refusalPhrases", .texts,
        "Phrases for `is-refusal` in this set, replacing the mapping's."),
    ],
    required: ["tier", "cases"],
    examples: [
      [
        "tier": "fast",
        "provider": "harness",
        "cases": "evals/support/smoke.jsonl",
        "files": ["evals/harness.py"],
        "description": "Refunds, orders and tone.",
        "repeat": 3,
        "passAtLeast": 2,
        "alpha": 0.005,
        "caseAlpha": 0.005,
        "maxRepeat": 15,
        "adaptive": true,
        "floor": 0.9,
        "quarantine": ["flaky-case"],
        "budgets": ["p95Latency": 1.25, "costPerCase": 1.1, "refusalRate": 0.05],
        "judge": ["provider": "harness", "model": "claude-3-5-haiku-20241022"],
        "messages": ["system": "prompts/support/system.md", "user": "Customer: {{question}}"],
        "refusalPhrases": ["I can't help"],
        "behavior": "support-agent",
        "protects": ["support-agent": ["prompt", "model"]],
      ]
    ])

  static let budgets = Place(
    "evalSets.NAME.budgets", definition: "budgets",
    "How much worse than the baseline the set's metrics may get.",
    keys: [
      Key(
        "p95Latency", .number(Ranges.ratio),
        "Largest allowed ratio of the head's p95 latency to the baseline's."),
      Key(
        "costPerCase", .number(Ranges.ratio),
        "Largest allowed ratio of the head's mean cost per case to the baseline's."),
      Key(
        "refusalRate", .number(Ranges.fraction),
        "Largest allowed rise of the refusal rate, as a fraction (0.05 = five points)."),
    ],
    examples: [["p95Latency": 1.25, "costPerCase": 1.1, "refusalRate": 0.05]])

  static let judge = Place(
    "evalSets.NAME.judge", definition: "judge",
    "The judge for `llm-rubric` assertions: a provider and a pinned model.",
    keys: [
      Key("provider", .text, "The judge's provider, a key of `providers`."),
      Key("model", .text, "The judge's model, pinned (part of each verdict's key)."),
    ],
    required: ["provider"],
    examples: [["provider": "harness", "model": "claude-3-5-haiku-20241022"]])

  static let provider = Place(
    "providers.NAME", definition: "provider",
    "How eval cases are run: `exec` runs your harness; `openai` and `anthropic` call the APIs.",
    keys: [
      Key(
        "type", .choice(ProviderDefinition.Kind.allCases.map(\.rawValue)),
        "exec (your own harness, run as a command), openai (OpenAI-compatible chat completions) or anthropic."
      ),
      Key("command", .texts, "The command an exec provider runs, as a list (argv)."),
      Key("baseURL", .text, "An HTTP provider's base URL (http:// or https://)."),
      Key(
        "apiKeyEnv", .text,
        "The name of the environment variable that holds the API key (never the key itself)."),
      Key(
        "model", .text,
        "A model that overrides the behavior's: for a judge, or a provider pinned to one model."),
      Key("concurrency", .integer(Ranges.concurrency), "Calls in flight at once (default 4)."),
      Key(
        "timeout", .number(Ranges.timeout),
        "Seconds before one attempt is abandoned (default 60, at most a day)."),
      Key(
        "retries", .integer(Ranges.retries),
        "Attempts after the first on 429, 5xx, a dropped connection or a timeout (default 2 for HTTP providers, 0 for exec)."
      ),
    ],
    required: ["type"],
    examples: [
      [
        "type": "exec", "command": ["python3", "evals/harness.py"], "concurrency": 4,
        "timeout": 30, "retries": 0,
      ],
      [
        "type": "openai", "baseURL": "http://127.0.0.1:8080/v1", "apiKeyEnv": "OPENAI_API_KEY",
        "model": "gpt-4o-mini",
      ],
    ],
    rules: [
      "if": ["properties": ["type": ["const": "exec"]], "required": ["type"]],
      "then": ["required": ["command"], "properties": ["command": ["minItems": 1]]],
    ])

  static let price = Place(
    "prices.MODEL", definition: "price", "A model's price, per million tokens.",
    keys: [
      Key("input", .number(Ranges.price), "Price per million prompt tokens."),
      Key("output", .number(Ranges.price), "Price per million completion tokens."),
    ],
    examples: [["input": 0.15, "output": 0.6]])

  static let limits = Place(
    "limits", definition: "limits", "Caps per gate run; reaching one stops the run with exit 3.",
    keys: [
      Key("maxCalls", .integer(Ranges.maxCalls), "The most provider calls one run may make."),
      Key("maxCost", .number(Ranges.price), "The most one run may spend, by the price table."),
    ],
    examples: [["maxCalls": 2000, "maxCost": 5]])

  static let hook = Place(
    "hook", definition: "hook", "How the pre-commit and pre-push hooks run the gate.",
    keys: [
      Key(
        "onUnavailable", .choice(UnavailablePolicy.allCases.map(\.rawValue)),
        "What the hook does when it could not evaluate: warn and let the change through (default), or fail."
      ),
      Key(
        "timeout", .number(Ranges.timeout),
        "Seconds the hook's gate may take before it stops and applies onUnavailable (default 60)."
      ),
      Key(
        "maxRepeat", .integer(Ranges.repeats),
        "A smaller re-sampling cap for the hook (default: each set's own)."),
    ],
    examples: [["onUnavailable": "warn", "timeout": 60, "maxRepeat": 6]])

  static let telemetry = Place(
    "telemetry", definition: "telemetry",
    "Where `promptgate report` reads production telemetry when it is given no files and no --clickhouse.",
    keys: [
      Key(
        "files", .texts,
        "Telemetry files or globs (native JSONL events or the Collector's OTLP JSON lines), relative to the repository's root."
      ),
      Key(
        "clickhouse", .place("telemetry.clickhouse"),
        "The OpenTelemetry Collector's ClickHouse traces table; credentials come from CLICKHOUSE_USER and CLICKHOUSE_PASSWORD."
      ),
    ],
    examples: [
      ["files": ["telemetry/*.jsonl", "otel/traces-*.json"]],
      ["clickhouse": ["url": "http://127.0.0.1:8123"]],
    ])

  static let telemetryClickHouse = Place(
    "telemetry.clickhouse", definition: "telemetryClickHouse",
    "The Collector's ClickHouse exporter's traces table, read over ClickHouse's HTTP interface.",
    keys: [
      Key(
        "url", .text, "ClickHouse's HTTP interface, e.g. http://127.0.0.1:8123 (no credentials)."),
      Key("database", .text, "The database (default otel)."),
      Key("table", .text, "The traces table (default otel_traces)."),
    ],
    required: ["url"],
    examples: [
      ["url": "https://clickhouse.internal:8443", "database": "otel", "table": "otel_traces"]
    ])
}
