#!/usr/bin/env bash
# The API against its baseline (tests/api/baseline.binpb, the last accepted
# kpi.v1 and kpi.plugins API, buf.yaml's FILE rules): fails on any change
# that breaks a client's wire format, JSON or generated code.
# Usage: check_breaking.sh BUF SOURCE_DIR [--self-test]
#   --self-test  checks the check: a copy of proto/ with one field renamed
#                must fail it (so an empty or wrong baseline cannot pass
#                everything).
set -euo pipefail
buf="$1"
source_dir="$2"
baseline="$source_dir/tests/api/baseline.binpb"

if [[ "${3:-}" != "--self-test" ]]; then
  cd "$source_dir"
  exec "$buf" breaking --against "$baseline"
fi

copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
cp -r "$source_dir/proto" "$source_dir/buf.yaml" "$copy/"
sed -i 's/^  string metric = 1;$/  string metric_renamed = 1;/' \
  "$copy/proto/kpi/v1/metric_service.proto"
if output="$(cd "$copy" && "$buf" breaking --against "$baseline" 2>&1)"; then
  echo "check_breaking: a renamed field passed against $baseline" >&2
  exit 1
fi
grep -q 'changed name from "metric" to "metric_renamed"' <<<"$output" || {
  echo "check_breaking: unexpected output: $output" >&2
  exit 1
}
echo "check_breaking: a renamed field fails, as it should"
