#!/usr/bin/env bash
# Prints measured assurance figures: each property and how many cases it ran,
# fuzz executions (the no-panic properties over arbitrary inputs), and which
# threats of docs/threats.md have a passing test. Nothing here is typed in:
# the figures come from this run.
#
#   scripts/assurance.sh             # runs the tests, 1,000 cases per property
#   scripts/assurance.sh --long      # 10,000 cases per property
#   scripts/assurance.sh --log FILE  # reports on a passing run's output
#                                    # (`cargo test -- --nocapture`), as test.sh does
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--log" ]; then
  log=$2
else
  cases=1000
  [ "${1:-}" = "--long" ] && cases=10000
  scripts/build.sh >/dev/null
  log=$(mktemp)
  if ! PROPTEST_CASES=$cases cargo test --locked --workspace -- --nocapture >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "assurance: tests failed"
    exit 1
  fi
fi

# Lines may interleave when tests run in parallel: match anywhere in a line.
props=$(grep -oE 'property [a-z0-9_]+: [0-9]+ cases' "$log" | sort -u)
echo "properties"
echo "$props" | sed 's/^property /  /'
echo "$props" | awk '{n++; s+=$3} END {printf "  %d properties, %d cases in all\n", n, s}'
echo "$props" | grep -E 'never_panic|fail_closed' |
  awk '{s+=$3} END {printf "fuzz executions (arbitrary and mutated preCheck inputs): %d\n", s}'

covered=0
total=0
while IFS= read -r row; do
  number=$(echo "$row" | cut -d'|' -f2 | tr -d ' ')
  tests=$(echo "$row" | cut -d'|' -f5 | { grep -oE '`[a-z0-9_]+`' || true; } | tr -d '`')
  total=$((total + 1))
  ok=1
  # The run above passed as a whole, so every test it ran passed; a listed
  # test must have run (a typo or a removed test leaves its threat uncovered).
  for t in $tests; do
    grep -qE "test ([a-z_]+::)*$t \.\.\. " "$log" || ok=0
  done
  if [ "$ok" = 1 ] && [ -n "$tests" ]; then
    covered=$((covered + 1))
  else
    echo "  threat $number: no passing test"
  fi
done < <(sed -n '1,/^## Invariants/p' docs/threats.md | grep -E '^\| [0-9]+ \|')
echo "threats covered by a passing test: $covered of $total"
[ "$covered" = "$total" ]
