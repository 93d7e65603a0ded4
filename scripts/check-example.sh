#!/bin/sh
# Run one example (examples/<name>/<name>.spy with <name>.args) the way the stage tests do:
# from stage-tests/, through spy0 FILE, spy0 redshift -x FILE, spy0 build -x FILE and
# spy0 build -x -O2 FILE; compare each stdout and exit code with NAME.out (exit 0).
# Usage: scripts/check-example.sh NAME [SPY0]
set -u
name=$1
root=$(cd "$(dirname "$0")/.." && pwd)
spy0=${2:-$root/target/debug/spy0}
dir=../examples/$name
cd "$root/stage-tests" || exit 1
args=""
if [ -f "$dir/$name.args" ]; then args=$(cat "$dir/$name.args"); fi
status=0
for mode in "" "redshift -x" "build -x" "build -x -O2"; do
    # shellcheck disable=SC2086
    "$spy0" $mode "$dir/$name.spy" $args > "/tmp/check-$name.out" 2> "/tmp/check-$name.err"
    rc=$?
    if [ $rc -ne 0 ] || ! cmp -s "/tmp/check-$name.out" "$dir/$name.out"; then
        echo "FAIL $name [spy0 $mode] exit $rc"
        diff "$dir/$name.out" "/tmp/check-$name.out" | head -20
        head -20 "/tmp/check-$name.err"
        status=1
    else
        echo "ok   $name [spy0 $mode]"
    fi
done
exit $status
