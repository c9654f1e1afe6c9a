#!/bin/sh
# analyse-trace.sh: the notes' trace analysis script, for a chapter program.
#
#     08-tracing/analyse-trace.sh PROGRAM DEMO [DIR]
#
# Collects a trace of one demo (`PROGRAM --trace DIR/trace.out DEMO`, as `go test -trace`),
# writes its timeline page (gotrace html) and the trace in Go's format (for go tool trace),
# prints the goroutine analysis by start function, extracts the network, sync and syscall
# blocking profiles (`go tool trace -pprof=KIND`) and reads the sync one with pprof. DIR
# defaults to the current directory. gotrace is found beside PROGRAM, as the build puts it.
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 PROGRAM DEMO [DIR]" >&2
    exit 2
fi
program=$1
demo=$2
dir=${3:-.}
gotrace=$(dirname "$program")/gotrace

# Collect the trace.
"$program" --trace "$dir/trace.out" "$demo" > "$dir/$demo.stdout"
echo "collected $dir/trace.out ($(wc -c < "$dir/trace.out") bytes) from $demo"

# View: the timeline, as one page to open in a browser, and the trace in Go's format for go
# tool trace's own views.
"$gotrace" html "$dir/trace.out" -o "$dir/trace.html"
echo "wrote $dir/trace.html (open it in a browser)"
"$gotrace" export --format=go "$dir/trace.out" -o "$dir/trace.go.out"
echo "wrote $dir/trace.go.out (go tool trace $dir/trace.go.out)"

# Per start function: count and summed times (the groups of `gotrace stats`).
"$gotrace" stats --csv "$dir/trace.out" |
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
             $1 == "group" && $5 == "avg" {
                 printf "%-20s %3d goroutines, avg execution %.3fms, network wait %.3fms, sync block %.3fms\n",
                        $2, $4, $(col["exec_ns"]) / 1e6, $(col["net_wait_ns"]) / 1e6, $(col["sync_block_ns"]) / 1e6 }'

# Extract the blocking profiles.
for kind in net sync syscall; do
    "$gotrace" pprof --kind=$kind "$dir/trace.out" > "$dir/$kind.pprof"
    echo "wrote $dir/$kind.pprof"
done

# Analyse blocking: the functions that waited longest on channels and locks.
if command -v go > /dev/null; then
    pprof="go tool pprof"
elif command -v google-pprof > /dev/null; then
    pprof=google-pprof
else
    echo "skipped: reading the profile needs pprof (apt-get install golang-go)"
    exit 0
fi
echo "sync blocking, the function that waited longest:"
$pprof -top "$dir/sync.pprof" 2> /dev/null | awk '/flat%/ { on = 1; next } on && !done { print "  " $NF; done = 1 }'
