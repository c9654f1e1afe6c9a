# The workbook's test command: builds and tests every preset, sanitizer builds included.
#
#     cmake -P cmake/check.cmake
#
# Runs the default, tsan (ThreadSanitizer) and asan (AddressSanitizer + LeakSanitizer + UBSan)
# workflows, then the clang one when clang is installed, and stops at the first failure. With
# the environment variable GOCURRENT_REQUIRE_ALL=1 (CI sets it) nothing may be skipped: a
# missing optional package is an error.
cmake_minimum_required(VERSION 3.25)
get_filename_component(source_dir ${CMAKE_CURRENT_LIST_DIR} DIRECTORY)

set(presets default tsan asan)
find_program(CLANG clang)
if(CLANG)
  list(APPEND presets clang)
elseif("$ENV{GOCURRENT_REQUIRE_ALL}")
  message(FATAL_ERROR "the clang build needs the Debian package `clang` (apt-get install clang)")
else()
  message(STATUS "skipped: the clang build (apt-get install clang to enable it)")
endif()

foreach(preset IN LISTS presets)
  message(STATUS "======== ${preset}: configure, build, test ========")
  execute_process(COMMAND ${CMAKE_COMMAND} --workflow --preset ${preset}
                  WORKING_DIRECTORY ${source_dir} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the ${preset} workflow failed (status ${status}); see above")
  endif()
endforeach()
list(JOIN presets ", " done)
message(STATUS "every test passed in the ${done} builds")
