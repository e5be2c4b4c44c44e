#!/usr/bin/env bash
# Runs the benchmark of two builds interleaved in one session and prints their figures side by side (head ÷ base).
#
#   bench/compare.sh [--rounds N] [--this-bench] BASE [HEAD] [-- BENCH-OPTIONS...]
#
# BASE and HEAD are commits; HEAD defaults to this checkout as it is (uncommitted changes included). A commit is
# checked out in a temporary git worktree (removed at the end) and built there in Release. --this-bench first puts
# this checkout's bench/ into each temporary worktree: for a commit whose own bench predates the comparison, as long
# as that commit's core still has the API this bench uses. BENCH-OPTIONS default to `--mode quick`; do not pass --out.
# With N rounds the runs go base, head, head, base, base, head, … so a drift of the machine's load falls on both.
# Results: artifacts/bench/compare/<UTC time>/{base,head}-<n>/ and comparison.md there.
set -euo pipefail

rounds=1
this_bench=0
refs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --this-bench) this_bench=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) refs+=("$1"); shift ;;
  esac
done
options=("$@")
[[ ${#options[@]} -gt 0 ]] || options=(--mode quick)
if [[ ${#refs[@]} -lt 1 || ${#refs[@]} -gt 2 ]]; then
  echo "usage: bench/compare.sh [--rounds N] [--this-bench] BASE [HEAD] [-- BENCH-OPTIONS...]" >&2
  exit 2
fi
for option in "${options[@]}"; do
  [[ "$option" != "--out" ]] || { echo "compare.sh chooses --out itself" >&2; exit 2; }
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$repo/artifacts/bench/compare/$stamp"
scratch="$(mktemp -d /tmp/vt-compare.XXXXXX)"
worktrees=()
cleanup() {
  for tree in "${worktrees[@]}"; do
    git -C "$repo" worktree remove --force "$tree" >/dev/null 2>&1 || true
  done
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$results"

# prepare NAME REF: sets $prepared to the folder whose bench is built (this checkout as it is when REF is empty)
prepare() {
  local name="$1" ref="$2"
  if [[ -z "$ref" ]]; then
    prepared="$repo"
    return
  fi
  prepared="$scratch/$name"
  git -C "$repo" worktree add --detach --quiet "$prepared" "$ref"
  worktrees+=("$prepared")
  if [[ $this_bench -eq 1 ]]; then
    rm -rf "$prepared/bench"
    tar -C "$repo" --exclude=bin --exclude=obj -cf - bench | tar -C "$prepared" -xf -
  fi
}

prepare base "${refs[0]}"; base_tree="$prepared"
prepare head "${refs[1]:-}"; head_tree="$prepared"
for tree in "$base_tree" "$head_tree"; do
  echo "Building $tree …" >&2
  dotnet build -c Release "$tree/bench/VideoTranslation.Bench" -nologo -v quiet >&2
done
[[ "$head_tree" == "$repo" ]] || dotnet build -c Release "$repo/bench/VideoTranslation.Bench" -nologo -v quiet >&2
dll() { echo "$1/bench/VideoTranslation.Bench/bin/Release/net10.0/VideoTranslation.Bench.dll"; }

run() {
  local side="$1" tree="$2" round="$3"
  echo "Round $round, $side ($(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo 'load unknown')) …" >&2
  dotnet "$(dll "$tree")" "${options[@]}" --out "$results/$side-$round" > "$results/$side-$round.log" 2>&1 \
    || echo "  $side run $round exited non-zero; see $results/$side-$round.log" >&2
}

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2 == 1)); then
    run base "$base_tree" "$round"; run head "$head_tree" "$round"
  else
    run head "$head_tree" "$round"; run base "$base_tree" "$round"
  fi
done

dotnet "$(dll "$repo")" compare --base "$results"/base-*/ --head "$results"/head-*/ --to "$results/comparison.md"
echo "Wrote $results/comparison.md" >&2
