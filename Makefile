# The two commands a fresh machine needs: `make example` and `make test`.
.PHONY: example test lint build schema install install-files release-tarball

# `make install PREFIX=DIR` builds (release mode unless CONFIGURATION=debug) and installs the
# executables, completions, manual pages and the schema under DIR (docs/install.md).
PREFIX ?= /usr/local
CONFIGURATION ?= release

example:
	scripts/example.sh

test:
	scripts/bootstrap.sh
	scripts/test-tools.sh
	scripts/lint.sh
	swift build --build-tests
	swift build --product generate-manual
	swift test

lint:
	scripts/lint.sh

build:
	scripts/bootstrap.sh
	swift build

# Regenerates the JSON Schema of promptgate.yaml from the parser's tables (docs/schema.md).
schema:
	swift build --product promptgate-schema
	.build/debug/promptgate-schema >schema/promptgate.schema.json

# Linked as the release tarball is: the Swift runtime and libgit2 with its dependencies
# statically, so that each run (the pre-commit hook's above all) loads no shared libgit2.
STATIC_BUILD = PROMPTGATE_STATIC_LIBS=$(CURDIR)/.build/static-libs swift build -c $(CONFIGURATION) --static-swift-stdlib

install:
	scripts/bootstrap.sh
	scripts/static-libgit2.sh .build/static-libs
	$(STATIC_BUILD)
	$(STATIC_BUILD) --product generate-manual
	$(MAKE) install-files BIN_DIR="$$($(STATIC_BUILD) --show-bin-path)"

# Installs what BIN_DIR holds, already built, under $(DESTDIR)$(PREFIX).
install-files:
	scripts/install-tree.sh "$(BIN_DIR)" "$(DESTDIR)$(PREFIX)"

# The release tarball of this machine's platform, as the release workflow builds it.
release-tarball:
	scripts/release-tarball.sh "$(VERSION)" dist
