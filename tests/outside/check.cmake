# The test lib/outside-builds: builds the README's example program (example.c) the ways another
# project would, each with the same compiler as the workbook, and runs it:
#   find_package      the workbook's build installed into WORK_DIR/prefix, then find_package()
#   add_subdirectory  the repository, and then its lib/ alone, added to the example's project
#   pkg-config        the installed copy again, with the compiler alone and pkg-config's flags;
#                     then all the installed headers, with nothing but those flags
# First it checks that the README's "Using the library" section shows example.c and its output
# exactly. With PARTS=ON (the build has gocurrent-gperf and gocurrent-http), the installed copy
# also builds pprof_example.c with find_package and with pkg-config (gocurrent-gperf.pc,
# gocurrent-http.pc), and runs it. Inputs: SOURCE_DIR, BUILD_DIR (the workbook's build),
# WORK_DIR, GENERATOR, C_COMPILER, LIBDIR (where the library is installed, under the prefix),
# PKG_CONFIG (when not found, that way is skipped), PARTS.
file(MAKE_DIRECTORY ${WORK_DIR})
set(here ${SOURCE_DIR}/tests/outside)
file(READ ${here}/example.c program)
file(READ ${here}/example.out expected)

# The text between the first "```<lang>" line of `text` and the next "```" line.
function(fenced_block text lang var)
  string(FIND "${text}" "\n```${lang}\n" start)
  if(start EQUAL -1)
    message(FATAL_ERROR "README.md: no ```${lang} block under \"## Using the library\"")
  endif()
  string(LENGTH "\n```${lang}\n" skip)
  math(EXPR start "${start} + ${skip}")
  string(SUBSTRING "${text}" ${start} -1 text)
  string(FIND "${text}" "\n```\n" end)
  math(EXPR end "${end} + 1")
  string(SUBSTRING "${text}" 0 ${end} text)
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

file(READ ${SOURCE_DIR}/README.md readme)
string(FIND "${readme}" "\n## Using the library\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "README.md has no section \"## Using the library\"")
endif()
math(EXPR start "${start} + 1")
string(SUBSTRING "${readme}" ${start} -1 section)
string(FIND "${section}" "\n## " end)
string(SUBSTRING "${section}" 0 ${end} section)
fenced_block("${section}" c shown)
if(NOT shown STREQUAL program)
  message(FATAL_ERROR "README.md's example program differs from tests/outside/example.c")
endif()
fenced_block("${section}" text shown)
if(NOT shown STREQUAL expected)
  message(FATAL_ERROR "README.md's example output differs from tests/outside/example.out")
endif()

# Runs a command in WORK_DIR; stops the test with its output if it fails.
function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK_DIR}
                  OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "`${command}` failed (${status}):\n${output}")
  endif()
endfunction()

# Runs the example built in WORK_DIR/<way> and checks what it prints.
function(check_example way)
  execute_process(COMMAND ${WORK_DIR}/${way}/example OUTPUT_VARIABLE output RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT output STREQUAL expected)
    message(FATAL_ERROR "the example built with ${way} exited with ${status} and printed:\n"
                        "${output}-- want:\n${expected}")
  endif()
  message(STATUS "built with ${way}: the example runs and prints what the README shows")
endfunction()

# Runs pprof_example built in WORK_DIR/<way>, there (it writes cpu.prof), and checks it.
function(check_pprof_example way)
  execute_process(COMMAND ${WORK_DIR}/${way}/pprof_example WORKING_DIRECTORY ${WORK_DIR}/${way}
                  OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
  set(want "a CPU profile taken, /debug/pprof/ served: yes\n")
  if(NOT status EQUAL 0 OR NOT output STREQUAL want OR NOT EXISTS ${WORK_DIR}/${way}/cpu.prof)
    message(FATAL_ERROR "pprof_example built with ${way} exited with ${status} and printed:\n"
                        "${output}${errors}-- want:\n${want}")
  endif()
  message(STATUS "built with ${way}: gocurrent-gperf and gocurrent-http work")
endfunction()

# Configures and builds the example's project in WORK_DIR/<way>, with the given options.
function(cmake_way way)
  file(REMOVE_RECURSE ${WORK_DIR}/${way})
  run(${CMAKE_COMMAND} -S ${here} -B ${WORK_DIR}/${way} -G ${GENERATOR}
      -DCMAKE_C_COMPILER=${C_COMPILER} ${ARGN})
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/${way})
  check_example(${way})
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${prefix})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
cmake_way(find_package -DCMAKE_PREFIX_PATH=${prefix})
if(PARTS)
  check_pprof_example(find_package)
endif()
cmake_way(add_subdirectory -DGOCURRENT_DIR=${SOURCE_DIR})
cmake_way(add_subdirectory-lib -DGOCURRENT_DIR=${SOURCE_DIR}/lib)

if(PKG_CONFIG)
  set(pc_dir ${prefix}/${LIBDIR}/pkgconfig)
  set(ENV{PKG_CONFIG_PATH} ${pc_dir})
  # `pkg-config <options> gocurrent`'s output, as arguments, in `var`.
  function(pkg_config var)
    execute_process(COMMAND ${PKG_CONFIG} ${ARGN} gocurrent
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "pkg-config found no gocurrent.pc in ${pc_dir}")
    endif()
    separate_arguments(flags UNIX_COMMAND "${flags}")
    set(${var} "${flags}" PARENT_SCOPE)
  endfunction()
  file(REMOVE_RECURSE ${WORK_DIR}/pkg-config)
  file(MAKE_DIRECTORY ${WORK_DIR}/pkg-config)
  pkg_config(flags --cflags --libs)
  run(${C_COMPILER} ${here}/example.c ${flags} -o ${WORK_DIR}/pkg-config/example)
  check_example(pkg-config)
  if(PARTS)
    execute_process(COMMAND ${PKG_CONFIG} --cflags --libs gocurrent-gperf gocurrent-http
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "pkg-config found no gocurrent-gperf.pc or gocurrent-http.pc in ${pc_dir}")
    endif()
    separate_arguments(flags UNIX_COMMAND "${flags}")
    run(${C_COMPILER} ${here}/pprof_example.c ${flags} -o ${WORK_DIR}/pkg-config/pprof_example)
    check_pprof_example(pkg-config)
  endif()

  # Every installed header compiles from the prefix alone (nothing they include was left out),
  # as C11, which is all they ask for, without a warning.
  file(GLOB headers RELATIVE ${prefix}/include ${prefix}/include/gocurrent/*.h)
  list(TRANSFORM headers REPLACE "(.+)" "#include <\\1>\n")
  string(JOIN "" includes ${headers})
  file(WRITE ${WORK_DIR}/pkg-config/all_headers.c "${includes}")
  pkg_config(flags --cflags)
  run(${C_COMPILER} -std=c11 -Wall -Wextra -Werror -c ${WORK_DIR}/pkg-config/all_headers.c ${flags}
      -o ${WORK_DIR}/pkg-config/all_headers.o)
  message(STATUS "every installed header compiles")
endif()
