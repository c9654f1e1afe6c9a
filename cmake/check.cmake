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

# Build and test on every core of this machine. The presets cannot compute a core count, so they
# leave "jobs" out, and `cmake --build` and `ctest` read these two variables instead (a value
# already in the environment wins).
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
foreach(variable CMAKE_BUILD_PARALLEL_LEVEL CTEST_PARALLEL_LEVEL)
  if("$ENV{${variable}}" STREQUAL "")
    set(ENV{${variable}} ${cores})
  endif()
endforeach()
message(STATUS "building and testing with $ENV{CMAKE_BUILD_PARALLEL_LEVEL} and $ENV{CTEST_PARALLEL_LEVEL} jobs")

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
