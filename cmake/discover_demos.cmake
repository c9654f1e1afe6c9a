# Writes the CTest file for one chapter from its program's `--list` (run after every build).
# Inputs: PROGRAM, TEST_PREFIX (the test names' prefix), CHAPTER (its label), TSAN (ON for a
# ThreadSanitizer build), EXPECTED_DIR, OUT, RUNNER.
# A `--list` line is: <name> <outcome> <title...>; the outcome is normal, panic, deadlock, race
# or server.
execute_process(COMMAND ${PROGRAM} --list OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --list failed with status ${status}")
endif()
# Line by line with string(FIND), never as a CMake list: a title may hold ';' or brackets.
set(tests "")
while(NOT listing STREQUAL "")
  string(FIND "${listing}" "\n" eol)
  if(eol EQUAL -1)
    string(LENGTH "${listing}" eol)
  endif()
  string(SUBSTRING "${listing}" 0 ${eol} line)
  math(EXPR rest "${eol} + 1")
  string(LENGTH "${listing}" length)
  if(rest GREATER length)
    set(rest ${length})
  endif()
  string(SUBSTRING "${listing}" ${rest} -1 listing)
  if(line MATCHES "^([a-z0-9-]+) +(normal|panic|deadlock|race|server) ")
    set(demo ${CMAKE_MATCH_1})
    set(outcome ${CMAKE_MATCH_2})
    string(APPEND tests
      "add_test(\"${TEST_PREFIX}/${demo}\" \"${CMAKE_COMMAND}\" \"-DPROGRAM=${PROGRAM}\" \"-DDEMO=${demo}\""
      " \"-DOUTCOME=${outcome}\" \"-DTSAN=${TSAN}\" \"-DEXPECTED_DIR=${EXPECTED_DIR}\" -P \"${RUNNER}\")\n"
      "set_tests_properties(\"${TEST_PREFIX}/${demo}\" PROPERTIES LABELS \"${CHAPTER};${outcome}\")\n")
  elseif(NOT line STREQUAL "")
    message(FATAL_ERROR "${PROGRAM} --list printed a line that is not `<name> <outcome> <title>`: ${line}")
  endif()
endwhile()
if(tests STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} --list printed no demos")
endif()
file(WRITE ${OUT} "${tests}")
