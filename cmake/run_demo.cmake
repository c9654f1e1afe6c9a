# Runs one demo and checks it, for CTest. Inputs: PROGRAM, DEMO, OUTCOME, EXPECTED_DIR, and TSAN
# (ON when PROGRAM is built with ThreadSanitizer).
#
# The exit status must be what the outcome means: 0 for a normal run or a server, 2 for a panic
# or a fatal error such as a deadlock, and for a race 0 in a plain build (it just computes a
# wrong answer) but 66, ThreadSanitizer's status after a report, in a TSan build. The output
# (stdout and stderr merged, in the order written) must match the demo's expectation file:
#   <demo>.out      the exact output, byte for byte;
#   <demo>.pattern  for output with numbers that vary from run to run (a racy counter): one
#                   regular expression per output line, each matching the whole line;
#   <demo>.tsan     under ThreadSanitizer, for a race demo: regular expressions that must each
#                   match some line of the report (its WARNING and SUMMARY lines, say); each is
#                   matched against one line at a time, so ^ and $ anchor to a line.
if(OUTCOME STREQUAL "panic" OR OUTCOME STREQUAL "deadlock")
  set(want_status 2)
elseif(OUTCOME STREQUAL "race" AND TSAN)
  set(want_status 66)
else()
  set(want_status 0)
endif()

# Standard input is empty: a server demo, which serves until its input ends, starts, prints
# where it listens and stops at once (the README fetches from it while it runs).
# ThreadSanitizer sleeps a second at exit by default, to catch late reports from other threads;
# a demo's threads are done or blocked by then, and CI runs hundreds of demos.
set(ENV{TSAN_OPTIONS} "atexit_sleep_ms=0 $ENV{TSAN_OPTIONS}")
execute_process(COMMAND ${PROGRAM} ${DEMO} INPUT_FILE /dev/null
                OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
set(failed FALSE)
if(NOT "${status}" STREQUAL "${want_status}")
  message(SEND_ERROR "demo `${DEMO}` (${OUTCOME}) exited with ${status}, want ${want_status}")
  set(failed TRUE)
endif()

# Splits text into lines in `var` without CMake's list pitfalls: ';' is escaped.
function(split_lines text var)
  string(REPLACE ";" "\\;" text "${text}")
  string(REGEX REPLACE "\n$" "" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

set(base ${EXPECTED_DIR}/${DEMO})
if(OUTCOME STREQUAL "race" AND TSAN)
  if(NOT EXISTS ${base}.tsan)
    message(FATAL_ERROR "no expected report for race demo `${DEMO}`: create ${base}.tsan")
  endif()
  file(STRINGS ${base}.tsan patterns)
  split_lines("${output}" lines)
  foreach(pattern IN LISTS patterns)
    set(found FALSE)
    foreach(line IN LISTS lines)
      if(line MATCHES "${pattern}")
        set(found TRUE)
        break()
      endif()
    endforeach()
    if(NOT found)
      message(SEND_ERROR "demo `${DEMO}`: no line of the report matches `${pattern}`")
      set(failed TRUE)
    endif()
  endforeach()
elseif(EXISTS ${base}.out)
  file(READ ${base}.out expected)
  if(NOT output STREQUAL expected)
    message(SEND_ERROR "demo `${DEMO}` printed:\n${output}\n-- but ${base}.out holds:\n${expected}")
    set(failed TRUE)
  endif()
elseif(EXISTS ${base}.pattern)
  file(READ ${base}.pattern patterns)
  split_lines("${patterns}" patterns)
  split_lines("${output}" lines)
  list(LENGTH patterns want_lines)
  list(LENGTH lines got_lines)
  if(NOT want_lines EQUAL got_lines)
    message(SEND_ERROR "demo `${DEMO}` printed ${got_lines} lines, ${base}.pattern has ${want_lines}:\n${output}")
    set(failed TRUE)
  else()
    foreach(pattern line IN ZIP_LISTS patterns lines)
      if(NOT line MATCHES "^${pattern}$")
        message(SEND_ERROR "demo `${DEMO}`: line `${line}` does not match `${pattern}`")
        set(failed TRUE)
      endif()
    endforeach()
  endif()
else()
  message(FATAL_ERROR "no expected output for demo `${DEMO}`: create ${base}.out (or .pattern)")
endif()

if(NOT failed)
  message(STATUS "demo `${DEMO}`: exit status ${status} and output as expected")
endif()
