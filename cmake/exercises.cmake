# Exercises: a program the reader edits, a reference solution, and one test that judges both.
#
#   go_add_exercise(04-mutex counter-mutex
#                   STARTER exercises/counter_mutex.c SOLUTION exercises/solutions/counter_mutex.c
#                   TASK "what to do, said when the test fails")
#
# Each of the two sources is built as a program (and, outside the sanitizer presets, a second
# time with ThreadSanitizer, as the chapters' -tsan twins are). The test runs every build of a
# program and requires exit status 0 and, when exercises/expected/<name>.out exists, exactly that
# output: so a race report (exit 66), a deadlock or a panic (exit 2), a leak report or a wrong
# total fails it, with the task in the message. Without an expected output the program checks
# the answer itself and says what is wrong. Without TASK, the task is the "Task:" paragraph of
# the starter's opening comment.
#
#   solution/<chapter>/<name>   labels <chapter>;solution    always registered: CI proves on the
#                                                            reference solution that the test
#                                                            passes on a right answer
#   exercise/<chapter>/<name>   labels exercise;<chapter>    the reader's: registered only when
#                                                            GOCURRENT_EXERCISES is set in the
#                                                            environment of ctest, so an
#                                                            untouched starter never turns the
#                                                            default test run red
#
#   cmake --build --preset default && GOCURRENT_EXERCISES=1 ctest --preset default -L exercise
#
# Options: ENV <VAR=value>... for the runs (GOCURRENT_LEAK_REPORT=1, say); SOURCES <file>...
# compiled into both programs (a chapter's helper, say) and LIBRARIES <target>... linked into
# them.
#
# Run as a script (cmake -P), this file is the test itself; inputs NAME, SOURCE (the file to
# edit), TASK, EXPECTED, PROGRAMS (the builds, separated by '|') and ENV ('|'-separated).

if(CMAKE_SCRIPT_MODE_FILE)
  # ThreadSanitizer sleeps a second at exit by default; nothing here needs it.
  set(ENV{TSAN_OPTIONS} "atexit_sleep_ms=0 $ENV{TSAN_OPTIONS}")
  string(REPLACE "|" ";" env_list "${ENV}")
  foreach(assignment IN LISTS env_list)
    if(assignment MATCHES "^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
      set(ENV{${CMAKE_MATCH_1}} "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  set(expected "")
  set(then_prints ".")
  if(EXPECTED)
    file(READ ${EXPECTED} expected)
    set(then_prints " and prints exactly:\n${expected}")
  endif()
  string(REPLACE "|" ";" programs "${PROGRAMS}")
  foreach(program IN LISTS programs)
    execute_process(COMMAND ${program} OUTPUT_VARIABLE output ERROR_VARIABLE output
                    RESULT_VARIABLE status TIMEOUT 60)
    if(NOT status STREQUAL "0" OR (EXPECTED AND NOT output STREQUAL expected))
      get_filename_component(shown ${program} NAME)
      # NOTICE prints the text as it is; FATAL_ERROR would reflow it.
      message(NOTICE
        "\nnot solved yet: ${NAME}\n"
        "  ${TASK}\n"
        "  Edit ${SOURCE}, rebuild (cmake --build --preset default) and run the test again.\n\n"
        "${shown} exited with status ${status} and printed:\n${output}\n"
        "A solution exits with status 0${then_prints}")
      message(FATAL_ERROR "${NAME}: not solved yet")
    endif()
  endforeach()
  message(STATUS "${NAME}: solved (${PROGRAMS})")
  return()
endif()

include_guard(GLOBAL)

function(go_add_exercise chapter name)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "STARTER;SOLUTION;TASK" "ENV;SOURCES;LIBRARIES")
  set(expected ${CMAKE_CURRENT_SOURCE_DIR}/exercises/expected/${name}.out)
  if(NOT EXISTS ${expected})
    set(expected "")
  endif()
  if(NOT arg_TASK)
    file(READ ${CMAKE_CURRENT_SOURCE_DIR}/${arg_STARTER} text)
    string(REGEX MATCH "Task:[^\n]*(\n \\*[^/\n][^\n]*)*" arg_TASK "${text}")
    string(REGEX REPLACE "\n \\* ?" " " arg_TASK "${arg_TASK}")
    string(REGEX REPLACE "^Task: *" "" arg_TASK "${arg_TASK}")
  endif()
  list(JOIN arg_ENV "|" env)
  foreach(kind exercise solution)
    if(kind STREQUAL "exercise")
      set(source ${arg_STARTER})
    else()
      set(source ${arg_SOLUTION})
    endif()
    set(target ${chapter}-${kind}-${name})
    add_executable(${target} ${source} ${arg_SOURCES})
    target_link_libraries(${target} PRIVATE gocurrent ${arg_LIBRARIES})
    set(programs "$<TARGET_FILE:${target}>")
    if(NOT GOCURRENT_SANITIZE)
      add_executable(${target}-tsan ${source} ${arg_SOURCES})
      target_link_libraries(${target}-tsan PRIVATE gocurrent-tsan ${arg_LIBRARIES})
      target_compile_options(${target}-tsan PRIVATE -fsanitize=thread)
      target_link_options(${target}-tsan PRIVATE -fsanitize=thread)
      string(APPEND programs "|$<TARGET_FILE:${target}-tsan>")
    endif()
    set(args "-DNAME=${chapter}/${name}" "-DSOURCE=${chapter}/${source}" "-DTASK=${arg_TASK}"
             "-DEXPECTED=${expected}" "-DPROGRAMS=${programs}" "-DENV=${env}"
             -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE})
    if(kind STREQUAL "solution")
      add_test(NAME solution/${chapter}/${name} COMMAND ${CMAKE_COMMAND} ${args})
      set_tests_properties(solution/${chapter}/${name} PROPERTIES LABELS "${chapter};solution")
    else()
      # Registered at test time, and only on request: see the top of this file.
      set(quoted "")
      foreach(a IN LISTS args)
        string(REPLACE "\\" "\\\\" a "${a}")
        string(REPLACE "\"" "\\\"" a "${a}")
        string(APPEND quoted " \"${a}\"")
      endforeach()
      set(include_file ${CMAKE_CURRENT_BINARY_DIR}/exercise-${name}.cmake)
      string(CONCAT content
             "if(DEFINED ENV{GOCURRENT_EXERCISES})\n"
             "  add_test(\"exercise/${chapter}/${name}\" \"${CMAKE_COMMAND}\"${quoted})\n"
             "  set_tests_properties(\"exercise/${chapter}/${name}\" PROPERTIES LABELS \"exercise;${chapter}\")\n"
             "endif()\n")
      file(GENERATE OUTPUT ${include_file} CONTENT "${content}")
      set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
    endif()
  endforeach()
endfunction()
