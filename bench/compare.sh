#!/usr/bin/env bash
# compare.sh - two builds of chanbench, before and after a change, in one command.
#
#     bench/compare.sh OLD/bin/chanbench NEW/bin/chanbench [--rounds N] [ROW...]
#
# Runs the two programs alternately, N rounds (default 3), so that both meet the same moments of
# machine noise. Each run already measures gocurrent against the baseline queue in the same
# process; what this compares is that ratio (the "speedup" column), which holds on a noisy
# machine where raw nanoseconds do not. For every row and table (2 CPUs, one CPU) it prints the
# speedup before and after as median [min-max] over the rounds, and after/before: 1.00x means
# the change did not move the row, below 1 that it got slower.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 OLD_CHANBENCH NEW_CHANBENCH [--rounds N] [ROW...]" >&2
    exit 2
fi
old=$1 new=$2
shift 2
rounds=3
if [ "${1:-}" = "--rounds" ]; then
    rounds=$2
    shift 2
fi
for program in "$old" "$new"; do
    [ -x "$program" ] || { echo "$0: $program is not an executable chanbench" >&2; exit 2; }
done

results=$(mktemp)
trap 'rm -f "$results"' EXIT
# One line per row of every run: side, table, row number, speedup, row name. (The tables are
# numbered 1 for every CPU, 2 for one, so that sorting keeps chanbench's order.)
collect() {
    "$2" "${@:3}" | awk -v side="$1" '
        /^all [0-9]+ CPUs/ { table = "1 all CPUs"; row = 0; next }
        /^one CPU/         { table = "2 one CPU"; row = 0; next }
        table != "" && $NF ~ /^[0-9.]+x$/ {
            name = substr($0, 1, 38); sub(/ +$/, "", name)
            speedup = $NF; sub(/x$/, "", speedup)
            print side "\t" table "\t" ++row "\t" speedup "\t" name
        }'
}
for ((i = 1; i <= rounds; i++)); do
    echo "round $i of $rounds" >&2
    collect before "$old" "$@" >>"$results"
    collect after "$new" "$@" >>"$results"
done

sort -t$'\t' -k2,2 -k3,3n -k1,1 -k4,4g "$results" | awk -F'\t' '
    function stats(values, n,    mid) {
        mid = values[int((n + 1) / 2)]
        return sprintf("%.2fx [%.2f-%.2f]", mid, values[1], values[n])
    }
    function flush() {
        if (key == "") return
        split(key, k, SUBSEP)
        if (k[1] != table) { table = k[1]; print "\n" substr(table, 3) }
        printf "%-38s %22s %22s %11.2fx\n", k[2], stats(b, nb), stats(a, na),
               a[int((na + 1) / 2)] / b[int((nb + 1) / 2)]
        delete b; delete a; nb = na = 0
    }
    BEGIN { printf "%-38s %22s %22s %12s\n", "speedup over the baseline", "before", "after", "after/before" }
    {
        this = $2 SUBSEP $5
        if (this != key) { flush(); key = this }
        if ($1 == "before") b[++nb] = $4; else a[++na] = $4
    }
    END { flush() }'
