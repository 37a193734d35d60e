/// What libgit2's start-up calls in place of starting its TLS stream, in the static release
/// executables.
///
/// Starting it loads every CA certificate the system has (mbedTLS parses
/// `/etc/ssl/certs/ca-certificates.crt`): 54 M instructions, more than half of what
/// `promptgate version` does, paid by every command that starts libgit2. PromptGate never uses
/// libgit2's network code (pushes and fetches go through the git CLI), so the static
/// executables are linked with `--wrap=git_mbedtls_stream_global_init` (Package.swift), which
/// sends libgit2's call here, and TLS is never started. A build that links the shared libgit2
/// starts it as usual and never calls this.
@_cdecl("__wrap_git_mbedtls_stream_global_init")
func tlsStreamNotStarted() -> Int32 { 0 }
