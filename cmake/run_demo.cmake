# Runs one demo and checks it, for CTest. Inputs: PROGRAM, DEMO, OUTCOME, EXPECTED.
# The exit status must be what the outcome means in Go (0 for a normal or racy run, 2 for a panic
# or a fatal error such as a deadlock), and stdout+stderr, merged in the order written, must equal
# the expected file byte for byte.
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "no expected output for demo `${DEMO}`: create ${EXPECTED}")
endif()
execute_process(COMMAND ${PROGRAM} ${DEMO}
                OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
if(OUTCOME STREQUAL "panic" OR OUTCOME STREQUAL "deadlock")
  set(want_status 2)
else()
  set(want_status 0)
endif()
file(READ "${EXPECTED}" expected)
set(failed FALSE)
if(NOT "${status}" STREQUAL "${want_status}")
  message(SEND_ERROR "demo `${DEMO}` (${OUTCOME}) exited with ${status}, want ${want_status}")
  set(failed TRUE)
endif()
if(NOT output STREQUAL expected)
  message(SEND_ERROR "demo `${DEMO}` printed:\n${output}\n-- but ${EXPECTED} holds:\n${expected}")
  set(failed TRUE)
endif()
if(NOT failed)
  message(STATUS "demo `${DEMO}`: exit status ${status} and output as expected")
endif()
