#!/bin/sh
# Compares the self-hosted parser with the seed's: builds spy-in-spy/main.spy into a
# native executable once, then runs `spy0 parse F` and `EXE parse F` on every .spy file
# under stage-tests/cases (the syntax cases first), stdlib/ and spy-in-spy/, and checks
# that stdout, stderr and the exit status agree. Prints the number of agreeing files
# and the name of each differing one; exits 1 if any differs.
#
# Environment: WORK (scratch directory, default /tmp/compare-parse), MAIN (the program
# to build, default spy-in-spy/main.spy), SPY0 (default ./target/debug/spy0).
set -u
cd "$(dirname "$0")/../.." || exit 2
WORK=${WORK:-/tmp/compare-parse}
MAIN=${MAIN:-spy-in-spy/main.spy}
SPY0=${SPY0:-./target/debug/spy0}
mkdir -p "$WORK/build"
EXE="$WORK/spy"

echo "building $MAIN -> $EXE"
"$SPY0" build -o "$EXE" -b "$WORK/build" "$MAIN" || exit 2

files() {
    find stage-tests/cases/syntax -name '*.spy' | sort
    find stage-tests/cases -name '*.spy' -not -path 'stage-tests/cases/syntax/*' | sort
    find stdlib spy-in-spy -name '*.spy' | sort
}

agree=0
differ=0
for f in $(files); do
    "$SPY0" parse "$f" >"$WORK/seed.out" 2>"$WORK/seed.err"
    seed_status=$?
    "$EXE" parse "$f" >"$WORK/self.out" 2>"$WORK/self.err"
    self_status=$?
    if [ "$seed_status" = "$self_status" ] && cmp -s "$WORK/seed.out" "$WORK/self.out" \
        && cmp -s "$WORK/seed.err" "$WORK/self.err"; then
        agree=$((agree + 1))
    else
        differ=$((differ + 1))
        echo "DIFFERS: $f (exit status $seed_status vs $self_status)"
    fi
done
echo "$agree of $((agree + differ)) files agree"
[ "$differ" = 0 ]
