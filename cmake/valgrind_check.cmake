# Runs a program under Valgrind's Helgrind or DRD, for CTest. Inputs: VALGRIND, TOOL (helgrind
# or drd), SUPPRESSIONS (valgrind/gocurrent.supp), PROGRAM, ARGS (its arguments, a list), and
# EXPECT: `clean` (the tool reports nothing and the program exits 0), or a regular expression
# the tool's report must match (a race it must still find).
set(command ${VALGRIND} --tool=${TOOL} --suppressions=${SUPPRESSIONS} ${PROGRAM} ${ARGS})
if(EXPECT STREQUAL "clean")
  list(INSERT command 1 --error-exitcode=99)
endif()
execute_process(COMMAND ${command} OUTPUT_VARIABLE output ERROR_VARIABLE report
                RESULT_VARIABLE status)
if(EXPECT STREQUAL "clean")
  if(NOT status EQUAL 0 OR NOT report MATCHES "ERROR SUMMARY: 0 errors")
    message(FATAL_ERROR "${TOOL} on `${PROGRAM} ${ARGS}`: exit status ${status}, want 0 and no "
                        "error (99: the tool reported some)\n${report}")
  endif()
elseif(NOT report MATCHES "${EXPECT}")
  message(FATAL_ERROR "${TOOL} on `${PROGRAM} ${ARGS}` did not report `${EXPECT}`:\n${report}")
endif()
