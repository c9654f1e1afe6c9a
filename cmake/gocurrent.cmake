# Helpers every chapter and test uses, and the flags of the workbook's own build. Included only
# when the workbook is the top-level project: a project that adds it gets just the library.
#
#   go_add_chapter(01-arrays-slices arrays_slices.c)   the chapter program, one test per demo,
#                                                      and the docs test of its README
#   go_add_chapter(06-race race.c TSAN_TWIN)           the same, plus the 06-race-tsan twin
#
# A demo test needs no CMake line at all: add the demo to the chapter's table and its
# expected/<demo>.out, and the next build registers the test.
#
# Options (cache variables, set by the presets):
#   GOCURRENT_SANITIZE        "" | thread | address;undefined   the sanitizers of the whole tree
#   GOCURRENT_REQUIRE_ALL     ON: a missing optional package is a configure error, not a skip

set(GOCURRENT_SANITIZE "" CACHE STRING "Sanitizers for the whole build: thread, or address;undefined")
# Defaults to the environment variable of the same name, which CI sets.
set(_go_require_all OFF)
if("$ENV{GOCURRENT_REQUIRE_ALL}")
  set(_go_require_all ON)
endif()
option(GOCURRENT_REQUIRE_ALL "Fail instead of skipping parts whose optional package is missing" ${_go_require_all})

# Warnings are errors on every target, with gcc and clang alike.
add_compile_options(-Wall -Wextra -Werror)
# Complete stacks for the profiles (lib/src/pprof_stack.c), as Go's are: frame pointers
# everywhere, since a function without one ends the walk (it costs one register; Fedora and
# Ubuntu build their packages this way), and no sibling calls, since a function whose last act is
# a call would hand its frame to the callee and vanish from the stack.
add_compile_options(-fno-omit-frame-pointer -fno-optimize-sibling-calls)
# Functions where Go 1.19's pprof can name them (google-pprof names them all anyway; verified
# with go tool pprof on chapter 07's profiles). At -O2 gcc moves main, and any function it
# thinks runs once, to .text.startup, which Go's reader does not match to main's DWARF entry; and
# it makes specialised copies of functions (start_pool.constprop.0, audit.isra.0, f.part.0)
# whose DWARF entries name no function of their own. Every sample in them showed as
# [07-profiling]. clang does neither.
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-fno-reorder-functions -fno-ipa-cp -fno-ipa-sra -fno-partial-inlining)
endif()
# Strict C17 plus POSIX.1-2008 (pthreads, fork, popen, clock_gettime) for the chapters and tests
# (the library's target carries its own); files that need a GNU extension define _GNU_SOURCE
# themselves and say why.
add_compile_definitions(_POSIX_C_SOURCE=200809L)
# __FILE__ relative to the source root, so panics and dumps print `01-arrays-slices/x.c:12`
# whatever directory the reader cloned into, and README outputs stay exact.
add_compile_options(-fmacro-prefix-map=${CMAKE_SOURCE_DIR}/=)

if(GOCURRENT_SANITIZE)
  list(JOIN GOCURRENT_SANITIZE "," _go_sanitizers)
  add_compile_options(-fsanitize=${_go_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_go_sanitizers})
endif()

set(GOCURRENT_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})
set_property(GLOBAL PROPERTY GOCURRENT_CHAPTERS "")

# go_require_package(<found-var> <what> <debian-package>)
# Called for an optional tool or library. When it was not found, the part that needs it is
# skipped with a message naming the package, or, with GOCURRENT_REQUIRE_ALL, configuring fails.
function(go_require_package found what package)
  if(NOT ${found})
    if(GOCURRENT_REQUIRE_ALL)
      message(FATAL_ERROR "${what} needs the Debian package `${package}` (apt-get install ${package})")
    endif()
    message(STATUS "skipped: ${what} (apt-get install ${package} to enable it)")
  endif()
endfunction()

# go_add_chapter(<dir> <sources...> [TSAN_TWIN])
# Builds the chapter program `<dir>` from the chapter's sources and registers it for the tour,
# its demo tests and its README's docs test. TSAN_TWIN also builds `<dir>-tsan` with
# ThreadSanitizer (unless the whole tree already is): the workbook's `go run -race`.
function(go_add_chapter name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "TSAN_TWIN" "" "")
  add_executable(${name} ${arg_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE gocurrent)
  set(tsan OFF)
  if("thread" IN_LIST GOCURRENT_SANITIZE)
    set(tsan ON)
  endif()
  set_property(GLOBAL APPEND PROPERTY GOCURRENT_CHAPTERS ${name})
  _go_add_demo_tests(${name} ${name} ${tsan})
  if(arg_TSAN_TWIN AND NOT GOCURRENT_SANITIZE)
    add_executable(${name}-tsan ${arg_UNPARSED_ARGUMENTS})
    target_link_libraries(${name}-tsan PRIVATE gocurrent-tsan)
    target_compile_options(${name}-tsan PRIVATE -fsanitize=thread)
    target_link_options(${name}-tsan PRIVATE -fsanitize=thread)
    # The twin's tests: clean demos must print the same output with no report; race demos
    # must be reported.
    _go_add_demo_tests(${name}-tsan ${name} ON)
  endif()
  _go_add_go_twins(${name})

  # The README shows the plain build's programs (its -tsan twins included), so it is checked in
  # plain builds only; under the sanitizer presets every demo's own test checks its output.
  if(NOT GOCURRENT_SANITIZE)
    add_test(NAME docs/${name}
             COMMAND docs-check --build-dir ${CMAKE_BINARY_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/README.md
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
    set_tests_properties(docs/${name} PROPERTIES LABELS "docs;${name}")
  endif()
endfunction()

# One CTest test per demo the program `target` lists, named <target>/<demo> and labelled with
# the chapter. After each build the program's own `--list` is turned into tests
# (cmake/discover_demos.cmake, as gtest_discover_tests does). Each test runs one demo through
# cmake/run_demo.cmake, which checks its exit status against the outcome `--list` declares and
# its output against the chapter's expected/ files (see run_demo.cmake for their kinds).
function(_go_add_demo_tests target chapter tsan)
  set(tests_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_demos.cmake)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${target}> -DTEST_PREFIX=${target}
            -DCHAPTER=${chapter} -DTSAN=${tsan}
            -DEXPECTED_DIR=${CMAKE_CURRENT_SOURCE_DIR}/expected -DOUT=${tests_file}
            -DRUNNER=${GOCURRENT_CMAKE_DIR}/run_demo.cmake
            -P ${GOCURRENT_CMAKE_DIR}/discover_demos.cmake
    VERBATIM)
  # CTest reads this at test time; before the first build it reports the program as not built.
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake)
  file(WRITE ${include_file}
       "if(EXISTS \"${tests_file}\")\n  include(\"${tests_file}\")\nelse()\n"
       "  add_test(${target}/NOT_BUILT ${CMAKE_COMMAND} -E false)\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()

# A demo that mirrors an example of the Go notes may have a Go twin, <chapter>/go/<demo>.go: the
# same example in Go. Its test builds and runs it with real Go and requires the C demo's expected
# output to be what Go printed (cmake/go_twin.cmake), so "prints what Go prints" is checked, not
# claimed. The twins build inside the Go module of the source root's go.mod, so they can import
# what they share from gotwin/. Needs golang-go.
function(_go_add_go_twins chapter)
  file(GLOB twins CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/go/*.go)
  if(NOT twins)
    return()
  endif()
  find_program(GO_EXECUTABLE go)
  go_require_package(GO_EXECUTABLE "checking ${chapter}'s outputs against real Go" golang-go)
  if(NOT GO_EXECUTABLE)
    return()
  endif()
  foreach(twin IN LISTS twins)
    get_filename_component(demo ${twin} NAME_WE)
    add_test(NAME go/${chapter}/${demo}
             COMMAND ${CMAKE_COMMAND} -DGO=${GO_EXECUTABLE} -DTWIN=${twin}
                     -DEXPECTED=${CMAKE_CURRENT_SOURCE_DIR}/expected/${demo}.out
                     -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR} -DMODULE_DIR=${CMAKE_SOURCE_DIR}
                     -P ${GOCURRENT_CMAKE_DIR}/go_twin.cmake)
    set_tests_properties(go/${chapter}/${demo} PROPERTIES LABELS "${chapter};conformance")
  endforeach()
endfunction()

# go_add_pprof_reader_tests(<name> <sample-target> <profiles> <labels> <reader>...)
# One test per reader (go, google-pprof, protoc), named <name>-by-<reader>: it runs the program
# <sample-target> and reads the profiles it writes with that reader, expecting the functions
# tests/pprof_readers.cmake lists for <profiles> (runtime, gperf or chapter07). A reader that is
# not installed has no test (tests/CMakeLists.txt finds them, and says which package to install).
function(go_add_pprof_reader_tests name sample profiles labels)
  foreach(reader IN LISTS ARGN)
    if(reader STREQUAL "go")
      set(tool ${GO_EXECUTABLE})
    elseif(reader STREQUAL "google-pprof")
      set(tool ${GOOGLE_PPROF_EXECUTABLE})
    else()
      set(tool ${PROTOC_EXECUTABLE})
    endif()
    if(tool)
      add_test(NAME ${name}-by-${reader}
               COMMAND ${CMAKE_COMMAND} -DSAMPLE=$<TARGET_FILE:${sample}> -DREADER=${reader}
                       -DTOOL=${tool} -DPROFILES=${profiles}
                       -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/${sample}-read-by-${reader}
                       -P ${PROJECT_SOURCE_DIR}/tests/pprof_readers.cmake)
      set_tests_properties(${name}-by-${reader} PROPERTIES LABELS "${labels}" TIMEOUT 300)
    endif()
  endforeach()
endfunction()

# The tour: every chapter's normal demos, in reading order, under a heading per chapter.
function(go_add_tour_target)
  get_property(chapters GLOBAL PROPERTY GOCURRENT_CHAPTERS)
  set(commands "")
  foreach(chapter IN LISTS chapters)
    list(APPEND commands COMMAND ${CMAKE_COMMAND} -E echo ""
                         COMMAND ${CMAKE_COMMAND} -E echo "################ ${chapter} ################"
                         COMMAND $<TARGET_FILE:${chapter}>)
  endforeach()
  add_custom_target(tour ${commands} DEPENDS ${chapters} USES_TERMINAL VERBATIM)
endfunction()
