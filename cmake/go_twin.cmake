# Checks that a demo prints what Go prints: builds the demo's Go twin with real Go, runs it, and
# compares with the C demo's expected output. Inputs: GO, TWIN (a .go file), EXPECTED, WORK_DIR,
# MODULE_DIR (the source root, whose go.mod makes it the Go module `gocurrent`: twins import the
# packages they share from it, such as gocurrent/gotwin/goroutine, so go build runs there).
# For a demo that panics or dies of a fatal error (a deadlock), Go's goroutine dump differs from
# C's (paths, addresses, goroutine numbers), so the comparison covers the output up to and
# including the "panic: ..." or "fatal error: ..." line, plus exit status 2.
set(ENV{GOCACHE} ${WORK_DIR}/go-cache)
# The module has no dependencies: never go to the network for one.
set(ENV{GOPROXY} off)
get_filename_component(name ${TWIN} NAME_WE)
set(binary ${WORK_DIR}/go-twins/${name})
execute_process(COMMAND ${GO} build -o ${binary} ${TWIN} WORKING_DIRECTORY ${MODULE_DIR}
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "go build ${TWIN} failed:\n${errors}")
endif()
execute_process(COMMAND ${binary} OUTPUT_VARIABLE go_stdout ERROR_VARIABLE go_stderr RESULT_VARIABLE go_status)
# Go 1.20 renamed the reasons a goroutine dump gives for waits in package sync: Go 1.19 prints
# every one as [semacquire], as the C library does; Go 1.20 and later print [sync.Mutex.Lock],
# [sync.RWMutex.RLock] and [sync.RWMutex.Lock] (and newer releases [sync.WaitGroup.Wait]). The
# twins print what their Go prints; the comparison reads the newer names as the old one.
foreach(var go_stdout go_stderr)
  string(REGEX REPLACE "\\[sync\\.(Mutex\\.Lock|RWMutex\\.R?Lock|WaitGroup\\.Wait)\\]" "[semacquire]"
         ${var} "${${var}}")
endforeach()

# A demo whose output varies (a timing) has expected/<demo>.pattern instead of .out: one regular
# expression per line, each matching the whole line, as cmake/run_demo.cmake reads it.
if(NOT EXISTS ${EXPECTED})
  string(REGEX REPLACE "\\.out$" ".pattern" pattern_file "${EXPECTED}")
  if(NOT EXISTS ${pattern_file})
    message(FATAL_ERROR "neither ${EXPECTED} nor ${pattern_file} exists")
  endif()
  if(NOT go_status EQUAL 0)
    message(SEND_ERROR "the Go twin exited with ${go_status}, want 0")
  endif()
  file(STRINGS ${pattern_file} patterns)
  string(REGEX REPLACE "\n$" "" go_lines "${go_stdout}${go_stderr}")
  string(REPLACE ";" "\\;" go_lines "${go_lines}")
  string(REPLACE "\n" ";" go_lines "${go_lines}")
  list(LENGTH patterns want_lines)
  list(LENGTH go_lines got_lines)
  if(NOT want_lines EQUAL got_lines)
    message(FATAL_ERROR "Go prints ${got_lines} lines, ${pattern_file} has ${want_lines}:\n${go_stdout}${go_stderr}")
  endif()
  foreach(pattern line IN ZIP_LISTS patterns go_lines)
    if(NOT line MATCHES "^${pattern}$")
      message(SEND_ERROR "Go printed `${line}`, which does not match `${pattern}`")
    endif()
  endforeach()
  message(STATUS "Go printed:\n${go_stdout}${go_stderr}")
  return()
endif()
file(READ ${EXPECTED} expected)

string(REGEX MATCH "(^|\n)(panic|fatal error): " died "${expected}")
if(died STREQUAL "")
  set(go_output "${go_stdout}${go_stderr}")
  set(want "${expected}")
  set(want_status 0)
else()
  # Up to the end of the panic or fatal error line, in both.
  string(FIND "${expected}" "${died}" panic_at)
  if(died MATCHES "^\n")
    math(EXPR panic_at "${panic_at} + 1")
  endif()
  string(FIND "${go_stderr}" "\n" eol)
  string(SUBSTRING "${go_stderr}" 0 ${eol} go_panic_line)
  set(go_output "${go_stdout}${go_panic_line}\n")
  string(SUBSTRING "${expected}" ${panic_at} -1 rest)
  string(FIND "${rest}" "\n" eol)
  math(EXPR end "${panic_at} + ${eol} + 1")
  string(SUBSTRING "${expected}" 0 ${end} want)
  set(want_status 2)
endif()
if(NOT go_status EQUAL want_status)
  message(SEND_ERROR "the Go twin exited with ${go_status}, want ${want_status}")
endif()
if(NOT go_output STREQUAL want)
  message(SEND_ERROR "Go prints:\n${go_output}\n-- but the C demo's ${EXPECTED} holds:\n${want}")
endif()
