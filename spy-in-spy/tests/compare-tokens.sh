#!/bin/sh
# Compares the two lexers: `spy0 tokens F` against the compiled spy-in-spy/main.spy
# `tokens F` (stdout, stderr and exit status) for every .spy file under stage-tests/cases,
# stdlib/ and spy-in-spy/, or for the files given as arguments. Builds the native
# executable once. Prints the differing files and the count of agreeing ones; exits 1
# if any differ. Environment: SPY0 (default ./target/debug/spy0), BUILD_DIR, SPY0_FLAGS
# (extra `spy0 build` flags, e.g. -O2).
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD_DIR=${BUILD_DIR:-/tmp/spy-in-spy-compare-tokens}
EXE="$BUILD_DIR/spy-in-spy-main"
OUT="$BUILD_DIR/out"
mkdir -p "$OUT"
# A private copy, so that a concurrent `cargo build` cannot swap the seed mid-run.
cp "${SPY0:-./target/debug/spy0}" "$BUILD_DIR/spy0" || exit 2
SPY0="$BUILD_DIR/spy0"

echo "+ $SPY0 build ${SPY0_FLAGS:-} -b $BUILD_DIR -o $EXE spy-in-spy/main.spy"
# shellcheck disable=SC2086
"$SPY0" build ${SPY0_FLAGS:-} -b "$BUILD_DIR" -o "$EXE" spy-in-spy/main.spy >/dev/null || exit 2

if [ $# -gt 0 ]; then
    files=$(printf '%s\n' "$@")
else
    files=$(find stage-tests/cases stdlib spy-in-spy -name '*.spy' | sort)
fi

total=0
agree=0
for f in $files; do
    total=$((total + 1))
    "$SPY0" tokens "$f" >"$OUT/seed.out" 2>"$OUT/seed.err"
    echo "$?" >"$OUT/seed.code"
    "$EXE" tokens "$f" >"$OUT/spy.out" 2>"$OUT/spy.err"
    echo "$?" >"$OUT/spy.code"
    if cmp -s "$OUT/seed.out" "$OUT/spy.out" && cmp -s "$OUT/seed.err" "$OUT/spy.err" \
        && cmp -s "$OUT/seed.code" "$OUT/spy.code"; then
        agree=$((agree + 1))
    else
        echo "DIFFERS: $f"
    fi
done
echo "$agree/$total files agree"
[ "$agree" -eq "$total" ]
