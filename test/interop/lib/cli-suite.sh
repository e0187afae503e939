# Sourced first by the CLI suites (after `set -euo pipefail`): the server from COGNATE_ENDPOINT as EP, the AWS environment
# (aws-env.sh), a work directory removed on exit as WORKDIR (named after CLI_SUITE_TMP, e.g. cognate-cli-risk.XXXXXX), OUT and
# ERR for the last call's output, the PASS / FAIL counters and the helpers of cli-helpers.sh.
EP="${COGNATE_ENDPOINT:?set COGNATE_ENDPOINT, e.g. http://127.0.0.1:5000}"
# shellcheck source=aws-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/aws-env.sh"
WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/${CLI_SUITE_TMP:-cognate-cli}.XXXXXX")"
trap 'rm -rf "$WORKDIR"' EXIT
OUT="$WORKDIR/out"
ERR="$WORKDIR/err"
PASS=0
FAIL=0
# shellcheck source=cli-helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/cli-helpers.sh"
