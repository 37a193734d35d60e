"""Summarizes a support conversation for the next agent."""

MODEL = "gpt-4o-mini"


def summarize(conversation: str) -> str:
    raise NotImplementedError("calls the model in production")
