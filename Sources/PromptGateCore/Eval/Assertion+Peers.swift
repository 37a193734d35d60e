/// promptfoo's assertion types and keys that PromptGate refuses, each with the reason and the
/// fix: refusing is better than scoring differently from promptfoo. docs/compatibility.md lists
/// them, and a test keeps that page and these tables in step.
extension Assertion {
  /// Why a type is refused, and what to write instead.
  struct Refusal: Sendable {
    let why: String
    let fix: String
  }

  private static let code = Refusal(
    why: "it runs code inside promptfoo's own runtime",
    fix: "write the check as a script and run it with type: command (it gets the output on "
      + "stdin and exits 0 to pass, or prints a score or {pass, score, reason})")
  private static let judged = Refusal(
    why: "it needs promptfoo's own grading prompt",
    fix: "write what it checks as an llm-rubric, graded by the eval set's judge")
  private static let deterministic = Refusal(
    why: "PromptGate does not implement it yet",
    fix: "check it with type: command (a script given the output on stdin), or with regex")
  private static let providerData = Refusal(
    why: "it needs data PromptGate's providers do not record",
    fix: "remove it, or check what you need with type: command")
  private static let external = Refusal(
    why: "it calls a service PromptGate does not call",
    fix: "remove it, or call the service from a type: command script")

  /// promptfoo types PromptGate refuses, without the `not-` prefix.
  static let refusedTypes: [String: Refusal] = [
    "javascript": code, "python": code, "ruby": code, "webhook": external,
    "similar": Refusal(
      why: "it needs an embeddings provider, which PromptGate does not call",
      fix: "check the wording with icontains-any, or grade meaning with an llm-rubric"),
    "is-sql": Refusal(
      why: "it needs a SQL parser, and PromptGate has none it can depend on",
      fix: "check the SQL with type: command (a script that parses it)"),
    "contains-sql": Refusal(
      why: "it needs a SQL parser, and PromptGate has none it can depend on",
      fix: "check the SQL with type: command (a script that parses it)"),
    "is-xml": deterministic, "contains-xml": deterministic, "is-html": deterministic,
    "contains-html": deterministic, "contains-json": deterministic,
    "rouge-n": deterministic, "bleu": deterministic, "gleu": deterministic, "meteor": deterministic,
    "f-score": deterministic,
    "is-valid-openai-tools-call": deterministic, "is-valid-openai-function-call": deterministic,
    "is-valid-function-call": deterministic, "tool-call-f1": deterministic,
    "finish-reason": providerData, "perplexity": providerData, "perplexity-score": providerData,
    "trace-span-count": providerData, "trace-span-duration": providerData,
    "trace-error-spans": providerData,
    "g-eval": judged, "factuality": judged, "model-graded-factuality": judged,
    "model-graded-closedqa": judged, "answer-relevance": judged,
    "context-faithfulness": judged, "context-recall": judged, "context-relevance": judged,
    "conversation-relevance": judged, "search-rubric": judged,
    "select-best": Refusal(
      why: "it compares the outputs of several prompts, and a gate runs one",
      fix: "remove it; the gate compares the head against the baseline itself"),
    "max-score": Refusal(
      why: "it compares the outputs of several prompts, and a gate runs one",
      fix: "remove it; the gate compares the head against the baseline itself"),
    "moderation": external, "classifier": external, "guardrails": external, "pi": external,
    "human": Refusal(
      why: "it waits for a person's rating", fix: "remove it from the gated cases"),
  ]

  /// promptfoo assertion keys PromptGate refuses, with the fix.
  static let refusedKeys: [String: String] = [
    "transform":
      "PromptGate does not run promptfoo's output transforms; have the harness return the "
      + "transformed output, or assert on the raw output",
    "provider": "the gate's judge is the eval set's `judge:`; remove the per-assertion grader",
    "rubricPrompt": "the judge's prompt is PromptGate's; remove rubricPrompt",
    "config": "remove it; PromptGate's assertions take their settings in `value`",
    "contextTransform": "remove it; the context-* assertions are not supported",
  ]
}
