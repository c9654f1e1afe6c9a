# Writes the CTest file for one chapter from its program's `--list` (run after every build).
# Inputs: PROGRAM, CHAPTER, EXPECTED_DIR, OUT, RUNNER.
# A `--list` line is: <name> <outcome> <title...>; the outcome is normal, panic, deadlock or race.
execute_process(COMMAND ${PROGRAM} --list OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --list failed with status ${status}")
endif()
string(REPLACE "\n" ";" lines "${listing}")
set(tests "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([a-z0-9-]+) +(normal|panic|deadlock|race) ")
    set(demo ${CMAKE_MATCH_1})
    set(outcome ${CMAKE_MATCH_2})
    string(APPEND tests
      "add_test(\"${CHAPTER}/${demo}\" \"${CMAKE_COMMAND}\" \"-DPROGRAM=${PROGRAM}\" \"-DDEMO=${demo}\""
      " \"-DOUTCOME=${outcome}\" \"-DEXPECTED=${EXPECTED_DIR}/${demo}.out\" -P \"${RUNNER}\")\n"
      "set_tests_properties(\"${CHAPTER}/${demo}\" PROPERTIES LABELS \"${CHAPTER};${outcome}\")\n")
  elseif(NOT line STREQUAL "")
    message(FATAL_ERROR "${PROGRAM} --list printed a line that is not `<name> <outcome> <title>`: ${line}")
  endif()
endforeach()
if(tests STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} --list printed no demos")
endif()
file(WRITE ${OUT} "${tests}")
