# The notes' CPU example in Go (go/primes), as the README compares it with the C demo `cpu`:
# builds and runs it with real Go, requires it to print the line the C demo prints (the last of
# expected/cpu.pattern), and reads its profile with go tool pprof: main.calculatePrimes on the
# first row, and no math.Sqrt anywhere (the notes list it; Go compiles it to one instruction).
#   cmake -DGO=<go> -DMODULE_DIR=<source root> -DWORK_DIR=<dir> -DEXPECTED=<cpu.pattern>
#         -P go_primes.cmake
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(ENV{GOCACHE} ${WORK_DIR}/go-cache)
set(ENV{GOPROXY} off)
execute_process(COMMAND ${GO} build -o ${WORK_DIR}/go-primes ./07-profiling/go/primes
                WORKING_DIRECTORY ${MODULE_DIR} RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "go build failed:\n${errors}")
endif()
execute_process(COMMAND ${WORK_DIR}/go-primes WORKING_DIRECTORY ${WORK_DIR}
                OUTPUT_VARIABLE printed ERROR_VARIABLE errors RESULT_VARIABLE status)
file(STRINGS ${EXPECTED} c_lines)
list(GET c_lines -1 c_last)
if(NOT status EQUAL 0 OR NOT printed STREQUAL "${c_last}\n")
  message(FATAL_ERROR "Go printed (status ${status}):\n${printed}${errors}\nthe C demo prints:\n${c_last}")
endif()
execute_process(COMMAND ${GO} tool pprof -top go-primes cpu.prof WORKING_DIRECTORY ${WORK_DIR}
                OUTPUT_VARIABLE top ERROR_VARIABLE errors RESULT_VARIABLE status)
string(REGEX MATCH "flat%[^\n]*\n[^\n]*" rows "${top}")
if(NOT status EQUAL 0 OR NOT rows MATCHES " main\\.calculatePrimes( \\(inline\\))?$")
  message(FATAL_ERROR "go tool pprof -top: expected main.calculatePrimes first:\n${top}${errors}")
endif()
if(top MATCHES "math\\.Sqrt")
  message(FATAL_ERROR "go tool pprof -top: math.Sqrt is a function of its own here:\n${top}")
endif()
