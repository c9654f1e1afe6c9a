# The profiles as their readers see them: runs a sample program, then one reader over its files,
# and checks that each profile names the function its workload makes it name.
#
#   cmake -DSAMPLE=<program> -DWORK_DIR=<dir> -DREADER=go|google-pprof|protoc -DTOOL=<path>
#         [-DPROFILES=runtime|gperf] -P pprof_readers.cmake
#
# PROFILES=runtime (the default): the library's own profiles, written by pprof_sample.c.
#   go            go tool pprof -top: block, mutex, threadcreate; -traces: goroutine (proto), whose
#                 stacks are whole (the library's wait, the caller, the start function)
#   google-pprof  google-pprof --text: block and mutex (it reads no goroutine or threadcreate file:
#                 gperftools has no such profile, and it reads no profile.proto)
#   protoc        protoc --decode_raw: the goroutine profile is well-formed protobuf, with the
#                 program among its mappings
# PROFILES=gperf: the CPU and heap profiles of pprof_gperf_sample.c, taken with the harness's
# --cpuprofile and --memprofile flags (its refusals demo runs first).
#   go            go tool pprof -top, and -sample_index=inuse_space|alloc_space for the heap
#   google-pprof  google-pprof --text, and --inuse_space|--alloc_space
# PROFILES=chapter07: the files chapter 07's demos write (07-profiling/profiling.c), each read
# for the function its README names: the CPU, heap, block, mutex, goroutine and threadcreate
# profiles with go tool pprof; the CPU, heap, block and mutex profiles with google-pprof.

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# Runs the sample program with these arguments, in WORK_DIR.
function(run_sample)
  execute_process(COMMAND ${SAMPLE} ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE out WORKING_DIRECTORY ${WORK_DIR})
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "`${SAMPLE} ${ARGN}` failed (${status}):\n${out}")
  endif()
endfunction()

if(PROFILES STREQUAL "chapter07")
  run_sample(cpu heap block mutex goroutine threadcreate)
elseif(PROFILES STREQUAL "gperf")
  run_sample(refusals)
  run_sample(--cpuprofile cpu.out hot)
  run_sample(--memprofile heap.out heap)
else()
  run_sample(${WORK_DIR})
endif()

# Runs a reader; its output (stdout and stderr) into `out`.
function(read out)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE text ERROR_VARIABLE errors RESULT_VARIABLE status
                  WORKING_DIRECTORY ${WORK_DIR})
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "`${ARGN}` failed (${status}):\n${text}${errors}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The function named on the first row of a pprof table, below the header that starts with flat
# (go tool pprof) or the line `Total: ...` (google-pprof).
function(first_row text out)
  string(REGEX MATCH "(flat%|Total:)[^\n]*\n[^\n]*" rows "${text}")
  string(REGEX MATCH "[^ ]+( \\(inline\\))?$" func "${rows}")
  string(REGEX REPLACE " \\(inline\\)$" "" func "${func}")
  set(${out} "${func}" PARENT_SCOPE)
endfunction()

function(expect_first what text func)
  first_row("${text}" first)
  if(NOT first STREQUAL func)
    message(FATAL_ERROR "${what}: expected ${func} on the first row, got `${first}`:\n${text}")
  endif()
endfunction()

function(expect_present what text func)
  if(NOT text MATCHES " ${func}( |\n|$)")
    message(FATAL_ERROR "${what}: ${func} is missing:\n${text}")
  endif()
endfunction()

function(expect_absent what text func)
  if(text MATCHES " ${func}( |\n|$)")
    message(FATAL_ERROR "${what}: ${func} should not be there:\n${text}")
  endif()
endfunction()

# In go tool pprof -traces, a stack that holds these functions in this order, innermost first,
# one frame after the other.
function(expect_trace what text)
  string(REPLACE ";" "\n +" frames "${ARGN}")
  if(NOT text MATCHES " ${frames}\n")
    message(FATAL_ERROR "${what}: no stack ${ARGN}:\n${text}")
  endif()
endfunction()

# In a table sorted by cumulative value, `first` comes before `second`.
function(expect_before what text first second)
  string(FIND "${text}" " ${first}\n" a)
  string(FIND "${text}" " ${second}\n" b)
  if(a EQUAL -1 OR b EQUAL -1 OR NOT a LESS b)
    message(FATAL_ERROR "${what}: expected ${first} above ${second}:\n${text}")
  endif()
endfunction()

# In a table sorted by cumulative value, `func` is present and above `less`, or `less` is absent
# (a stage that never had to wait records nothing).
function(expect_above_or_alone what text func less)
  expect_present("${what}" "${text}" ${func})
  string(FIND "${text}" " ${less}\n" b)
  if(NOT b EQUAL -1)
    expect_before("${what}" "${text}" ${func} ${less})
  endif()
endfunction()

if(PROFILES STREQUAL "chapter07" AND READER STREQUAL "go")
  read(cpu ${TOOL} tool pprof -top ${SAMPLE} cpu.prof)
  expect_first("go tool pprof, cpu" "${cpu}" calculate_primes)
  read(inuse ${TOOL} tool pprof -top -sample_index=inuse_space ${SAMPLE} heap.prof)
  expect_first("go tool pprof, heap inuse_space" "${inuse}" retain_buffers)
  read(alloc ${TOOL} tool pprof -top -sample_index=alloc_space ${SAMPLE} heap.prof)
  expect_first("go tool pprof, heap alloc_space" "${alloc}" churn_garbage)
  # The slow stage makes the others wait: each waits longer than it does.
  read(block ${TOOL} tool pprof -top -cum -nodefraction=0 ${SAMPLE} block.prof)
  expect_above_or_alone("go tool pprof, block" "${block}" consume slow_square)
  expect_above_or_alone("go tool pprof, block" "${block}" produce slow_square)
  read(mutex ${TOOL} tool pprof -top ${SAMPLE} mutex.prof)
  expect_present("go tool pprof, mutex" "${mutex}" deposit_and_audit)
  read(goroutines ${TOOL} tool pprof -traces goroutine.prof)
  expect_trace("go tool pprof, goroutine" "${goroutines}"
               go_chan_recv wait_for_answer goroutine_main)
  read(threads ${TOOL} tool pprof -top ${SAMPLE} threadcreate.prof)
  expect_first("go tool pprof, threadcreate" "${threads}" start_pool)
elseif(PROFILES STREQUAL "chapter07" AND READER STREQUAL "google-pprof")
  read(cpu ${TOOL} --text ${SAMPLE} cpu.prof)
  expect_first("google-pprof, cpu" "${cpu}" calculate_primes)
  read(inuse ${TOOL} --text --inuse_space ${SAMPLE} heap.prof)
  expect_first("google-pprof, heap inuse_space" "${inuse}" retain_buffers)
  read(alloc ${TOOL} --text --alloc_space ${SAMPLE} heap.prof)
  expect_first("google-pprof, heap alloc_space" "${alloc}" churn_garbage)
  read(block ${TOOL} --text --cum --nodefraction=0 ${SAMPLE} block.prof)
  expect_above_or_alone("google-pprof, block" "${block}" consume slow_square)
  expect_above_or_alone("google-pprof, block" "${block}" produce slow_square)
  read(mutex ${TOOL} --text ${SAMPLE} mutex.prof)
  expect_present("google-pprof, mutex" "${mutex}" deposit_and_audit)
elseif(PROFILES STREQUAL "gperf" AND READER STREQUAL "go")
  read(cpu ${TOOL} tool pprof -top ${SAMPLE} cpu.out)
  expect_first("go tool pprof, cpu" "${cpu}" hot_loop)
  read(inuse ${TOOL} tool pprof -top -sample_index=inuse_space ${SAMPLE} heap.out)
  expect_first("go tool pprof, heap inuse_space" "${inuse}" retain_buffers)
  read(alloc ${TOOL} tool pprof -top -sample_index=alloc_space ${SAMPLE} heap.out)
  expect_first("go tool pprof, heap alloc_space" "${alloc}" churn_garbage)
elseif(PROFILES STREQUAL "gperf" AND READER STREQUAL "google-pprof")
  read(cpu ${TOOL} --text ${SAMPLE} cpu.out)
  expect_first("google-pprof, cpu" "${cpu}" hot_loop)
  read(inuse ${TOOL} --text --inuse_space ${SAMPLE} heap.out)
  expect_first("google-pprof, heap inuse_space" "${inuse}" retain_buffers)
  read(alloc ${TOOL} --text --alloc_space ${SAMPLE} heap.out)
  expect_first("google-pprof, heap alloc_space" "${alloc}" churn_garbage)
elseif(READER STREQUAL "go")
  read(block ${TOOL} tool pprof -top -cum -nodefraction=0 block.out)
  expect_before("go tool pprof, block" "${block}" consume_slow_feed consume_fast_feed)
  read(mutex ${TOOL} tool pprof -top mutex.out)
  expect_present("go tool pprof, mutex" "${mutex}" holder_unlocks)
  expect_absent("go tool pprof, mutex" "${mutex}" waiter_locks)
  read(threads ${TOOL} tool pprof -top threadcreate.out)
  expect_first("go tool pprof, threadcreate" "${threads}" start_workers)
  # The whole stack: the library's receive, the function between, the start function.
  read(goroutines ${TOOL} tool pprof -traces goroutine.pb)
  expect_trace("go tool pprof, goroutine" "${goroutines}"
               go_chan_recv await_answer parked_receiver goroutine_main)
  # And the caller's own, from where it asked; and, named without an address, the start
  # function of the goroutine running meanwhile.
  expect_trace("go tool pprof, goroutine" "${goroutines}" go_profile_write_at write_profile main)
  if(NOT goroutines MATCHES "\n +1 +spinning_worker\n---")
    message(FATAL_ERROR
            "go tool pprof, goroutine: no stack of spinning_worker alone:\n${goroutines}")
  endif()
elseif(READER STREQUAL "google-pprof")
  read(block ${TOOL} --text --cum ${SAMPLE} block.out)
  expect_before("google-pprof, block" "${block}" consume_slow_feed consume_fast_feed)
  read(mutex ${TOOL} --text ${SAMPLE} mutex.out)
  expect_present("google-pprof, mutex" "${mutex}" holder_unlocks)
  expect_absent("google-pprof, mutex" "${mutex}" waiter_locks)
elseif(READER STREQUAL "protoc")
  execute_process(COMMAND ${TOOL} --decode_raw INPUT_FILE ${WORK_DIR}/goroutine.pb
                  OUTPUT_VARIABLE decoded ERROR_VARIABLE errors RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT decoded MATCHES "/pprof_sample\"")
    message(FATAL_ERROR "protoc --decode_raw: ${status} ${errors}\n${decoded}")
  endif()
else()
  message(FATAL_ERROR "unknown READER ${READER}")
endif()
