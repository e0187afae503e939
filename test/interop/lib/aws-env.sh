# Sourced by the shell suites: the aws CLI aimed at Cognate's development key pair (or the caller's), one attempt per call
# (the suites assert on first answers, not on the SDK's retries), and the suite's pass/fail counters.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-AKIACOGNATEDEVELOPER}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-cognate-development-secret-key-not-for-production}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER=""
export AWS_MAX_ATTEMPTS=1
REGION="$AWS_DEFAULT_REGION"
PASS=0
FAIL=0
