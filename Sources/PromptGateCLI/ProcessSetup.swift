#if canImport(Cmalloc) && os(Linux)
  import Cmalloc
#endif

extension CommandRunner {
  /// Sets the process up before any thread but the main one has started: every executable's
  /// `main.swift` calls it first, before its first `await` (once a command's work runs on a
  /// worker thread, it is too late).
  ///
  /// Swift runs a command on a worker thread of its concurrency pool. glibc gives each such
  /// thread an arena of its own, grown by one `mprotect` call for each page-aligned step an
  /// allocation needs: reading a mapping of 100,000 behaviors made 24,090 of them, against 739
  /// `brk` calls with the single main arena, which grows with room to spare
  /// (`strace -f -c promptgate-check-config --config FILE`). The commands run at most two
  /// threads of heavy allocation, which glibc's per-thread caches mostly serve without the
  /// arena's lock.
  public static func prepareProcess() {
    #if canImport(Cmalloc) && os(Linux)
      _ = mallopt(M_ARENA_MAX, 1)
    #endif
  }
}
