# Valgrind's race checkers on the library (valgrind/gocurrent.supp says how to use them): Helgrind
# and DRD must report nothing on chapter 03's demos and on clean cases of the unit tests, chosen
# to cover every edge the runtime describes to them (a lock, parking, a ring cell, select, Mutex,
# RWMutex, WaitGroup, Once) in a few seconds each; and they must still report chapter 06's racy
# counter. The cases run no child process, so none escapes the tool. In the plain build only:
# Valgrind cannot run a sanitizer's program. Included after the chapters, whose programs it runs.
if(NOT GOCURRENT_SANITIZE)
  find_program(VALGRIND_EXECUTABLE valgrind)
  include(CheckIncludeFile)
  check_include_file(valgrind/helgrind.h GOCURRENT_HAVE_HELGRIND_H)
  set(valgrind_found OFF)
  if(VALGRIND_EXECUTABLE AND GOCURRENT_HAVE_HELGRIND_H)
    set(valgrind_found ON)
  endif()
  go_require_package(valgrind_found "the Helgrind and DRD tests" valgrind)
  if(valgrind_found)
    set(valgrind_runs
        "03-channels|$<TARGET_FILE:03-channels>|"
        "test_chan|$<TARGET_FILE:test_chan>|test_unbuffered_send_waits_for_receiver"
        "test_chan|$<TARGET_FILE:test_chan>|test_buffered_wraps_around"
        "test_chan|$<TARGET_FILE:test_chan>|test_close_wakes_blocked_receivers"
        "test_chan|$<TARGET_FILE:test_chan>|test_pointer_over_channel_orders_plain_memory"
        "test_select|$<TARGET_FILE:test_select>|test_blocks_until_a_case_is_ready"
        "test_select|$<TARGET_FILE:test_select>|test_send_and_receive_cases_mixed"
        "test_sync|$<TARGET_FILE:test_sync>|test_wait_group_wait_returns_after_all_done"
        "test_sync|$<TARGET_FILE:test_sync>|test_mutex_excludes_under_contention"
        "test_sync|$<TARGET_FILE:test_sync>|test_rwmutex_under_contention"
        "test_sync|$<TARGET_FILE:test_sync>|test_once_runs_fn_exactly_once_and_callers_wait_for_it")
    # Valgrind 3.19 (Debian 12) gives up on clang 14's default DWARF 5 debug info: what it runs
    # carries DWARF 4 (only that: the README shows the clang TSan twins' reports as they are).
    if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
      foreach(target gocurrent gocurrent-check 03-channels 06-race test_chan test_select test_sync)
        set_property(TARGET ${target} APPEND PROPERTY COMPILE_OPTIONS -gdwarf-4)
      endforeach()
    endif()
    set(racy_counter_report_helgrind "Possible data race.*increment \\([^)]*race\\.c:")
    set(racy_counter_report_drd "Conflicting (load|store) by thread.*increment \\([^)]*race\\.c:")
    foreach(tool helgrind drd)
      foreach(run ${valgrind_runs})
        string(REPLACE "|" ";" run "${run}")
        list(GET run 0 name)
        list(GET run 1 program)
        list(GET run 2 case)
        set(test_name valgrind/${tool}/${name})
        if(case)
          string(APPEND test_name /${case})
        endif()
        add_test(NAME ${test_name}
                 COMMAND ${CMAKE_COMMAND} -DVALGRIND=${VALGRIND_EXECUTABLE} -DTOOL=${tool}
                         -DSUPPRESSIONS=${PROJECT_SOURCE_DIR}/valgrind/gocurrent.supp
                         -DPROGRAM=${program} -DARGS=${case} -DEXPECT=clean
                         -P ${GOCURRENT_CMAKE_DIR}/valgrind_check.cmake)
        set_tests_properties(${test_name} PROPERTIES LABELS "lib;valgrind" TIMEOUT 300)
      endforeach()
      add_test(NAME valgrind/${tool}/06-race/counter
               COMMAND ${CMAKE_COMMAND} -DVALGRIND=${VALGRIND_EXECUTABLE} -DTOOL=${tool}
                       -DSUPPRESSIONS=${PROJECT_SOURCE_DIR}/valgrind/gocurrent.supp
                       -DPROGRAM=$<TARGET_FILE:06-race> -DARGS=counter
                       -DEXPECT=${racy_counter_report_${tool}}
                       -P ${GOCURRENT_CMAKE_DIR}/valgrind_check.cmake)
      set_tests_properties(valgrind/${tool}/06-race/counter PROPERTIES LABELS "lib;valgrind;race" TIMEOUT 300)
    endforeach()
  endif()
endif()
