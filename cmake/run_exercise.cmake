# Runs one exercise program, for CTest. Inputs: PROGRAM, SOURCE (the exercise's .c file).
# An exercise's main checks the reader's code and exits 0 when it is right. Otherwise this
# prints what the program printed, then the exercise's task (the "Task:" paragraph of the
# file's opening comment), so an untouched exercise fails with a message saying what to do.
# A wrong answer can also hang (a range loop nobody ends): the runtime reports a deadlock, and
# the test's timeout catches the rest.
execute_process(COMMAND ${PROGRAM} OUTPUT_VARIABLE output ERROR_VARIABLE output
                RESULT_VARIABLE status)
message("${output}")
if(NOT status EQUAL 0)
  file(READ ${SOURCE} text)
  string(REGEX MATCH "Task:[^\n]*(\n \\*[^/\n][^\n]*)*" task "${text}")
  string(REGEX REPLACE "\n \\* ?" "\n    " task "${task}")
  message(FATAL_ERROR "not done yet (exit status ${status}): ${SOURCE}\n    ${task}")
endif()
