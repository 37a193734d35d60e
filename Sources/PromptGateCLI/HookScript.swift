/// The native hook scripts, as `hooks/` holds them; a test keeps the two identical.
public enum HookScript {
  /// `hooks/pre-commit`.
  public static let preCommit = #"""
    #!/bin/sh
    # PromptGate pre-commit hook: versions the staged behaviours and gates them with the fast eval sets.
    # Install it with `promptgate install-hooks`, or copy it into the hooks directory.
    # A hook kept beside it as pre-commit.local (`promptgate install-hooks --force` keeps the one it
    # replaces there) runs first, with the same arguments; when it fails, the commit stops with its status.
    # Skip PromptGate's check once with PROMPTGATE_SKIP=1, and every check with `git commit --no-verify`.
    if [ -x "$0.local" ]; then
      "$0.local" "$@" || exit $?
    elif [ -e "$0.local" ]; then
      echo "promptgate: $0.local is not executable, so it was not run" >&2
    fi
    if [ "${PROMPTGATE_SKIP:-}" = 1 ]; then
      echo "promptgate: pre-commit skipped (PROMPTGATE_SKIP=1)" >&2
      exit 0
    fi
    hook=promptgate-hook
    if [ -n "${PROMPTGATE_BIN_DIR:-}" ]; then hook="$PROMPTGATE_BIN_DIR/promptgate-hook"; fi
    if ! command -v "$hook" >/dev/null 2>&1; then
      echo "promptgate: $hook not found: put PromptGate's executables on PATH or set PROMPTGATE_BIN_DIR" >&2
      echo "promptgate: to commit without the check once, use PROMPTGATE_SKIP=1 or git commit --no-verify" >&2
      exit 1
    fi
    exec "$hook" pre-commit
    """#

  /// `hooks/pre-push`.
  public static let prePush = #"""
    #!/bin/sh
    # PromptGate pre-push hook: gates the behaviours of the commits being pushed with the fast eval sets.
    # Install it with `promptgate install-hooks`, or copy it into the hooks directory.
    # A hook kept beside it as pre-push.local (`promptgate install-hooks --force` keeps the one it
    # replaces there) runs first, with the same arguments and the same refs on standard input; when it
    # fails, the push stops with its status.
    # Skip PromptGate's check once with PROMPTGATE_SKIP=1, and every check with `git push --no-verify`.
    hook=promptgate-hook
    if [ -n "${PROMPTGATE_BIN_DIR:-}" ]; then hook="$PROMPTGATE_BIN_DIR/promptgate-hook"; fi
    promptgate() {
      if [ "${PROMPTGATE_SKIP:-}" = 1 ]; then
        echo "promptgate: pre-push skipped (PROMPTGATE_SKIP=1)" >&2
        exit 0
      fi
      if ! command -v "$hook" >/dev/null 2>&1; then
        echo "promptgate: $hook not found: put PromptGate's executables on PATH or set PROMPTGATE_BIN_DIR" >&2
        echo "promptgate: to push without the check once, use PROMPTGATE_SKIP=1 or git push --no-verify" >&2
        exit 1
      fi
      exec "$hook" pre-push "$@"
    }
    if [ -x "$0.local" ]; then
      # git writes the refs being pushed once: read them once (keeping trailing newlines) and give
      # both hooks the same.
      refs=$(cat; echo .)
      refs=${refs%.}
      printf '%s' "$refs" | "$0.local" "$@" || exit $?
      printf '%s' "$refs" | promptgate "$@"
      exit $?
    elif [ -e "$0.local" ]; then
      echo "promptgate: $0.local is not executable, so it was not run" >&2
    fi
    promptgate "$@"
    """#

  /// Every hook `promptgate install-hooks` installs, by git's name for it, with its script.
  public static let all: [(name: String, script: String)] = [
    ("pre-commit", preCommit), ("pre-push", prePush),
  ]

  /// The script with `PROMPTGATE_BIN_DIR` defaulting to `directory`, so the installed hook finds
  /// the executables that installed it even when they are not on PATH.
  public static func installed(_ script: String, binDirectory directory: String) -> String {
    var lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let quoted = "'" + directory.replacingOccurrences(of: "'", with: "'\\''") + "'"
    lines.insert("[ -n \"${PROMPTGATE_BIN_DIR:-}\" ] || PROMPTGATE_BIN_DIR=\(quoted)", at: 1)
    return lines.joined(separator: "\n")
  }
}
