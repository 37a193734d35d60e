"""Shared scoring helpers for every eval set (a change here selects them all)."""


def normalise(text: str) -> str:
    return " ".join(text.split()).lower()
