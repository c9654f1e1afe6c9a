# The README's timeline pictures, from the chapter's own traces: runs the demos, turns their
# traces into gotrace html pages and photographs each page with headless Chromium.
#
#   cmake -DPROGRAM=08-tracing -DGOTRACE=gotrace -DCHROMIUM=chromium -DOUT_DIR=dir -P pictures.cmake
#
# Writes OUT_DIR/<trace>.png for slow-sender, pool-5 (worker-pool), before and after (pipeline),
# and fails unless each is a PNG. The build's target 08-tracing-pictures writes them into the
# chapter's images/ (committed, shown by the README); the test 08-tracing/pictures into the
# build tree.
file(MAKE_DIRECTORY ${OUT_DIR})
set(work ${OUT_DIR}/work)
file(MAKE_DIRECTORY ${work})
foreach(demo slow-sender worker-pool pipeline)
  execute_process(COMMAND ${PROGRAM} ${demo} WORKING_DIRECTORY ${work} OUTPUT_VARIABLE output
                  ERROR_VARIABLE output RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${demo} exited with ${status}:\n${output}")
  endif()
endforeach()
foreach(trace slow-sender pool-5 before after)
  execute_process(COMMAND ${GOTRACE} html ${trace}.trace -o ${trace}.html WORKING_DIRECTORY ${work}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "gotrace html ${trace}.trace exited with ${status}")
  endif()
  # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start. A profile of its own,
  # since another Chromium of the same user (a parallel test) would hold the default one. The
  # window shows the legend and the timeline, not the table below them.
  execute_process(COMMAND ${CHROMIUM} --headless --no-sandbox --disable-gpu --hide-scrollbars
                          --user-data-dir=${work}/chromium-profile
                          --window-size=1400,440 --screenshot=${OUT_DIR}/${trace}.png
                          file://${work}/${trace}.html
                  OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status TIMEOUT 120)
  set(magic "")
  if(EXISTS ${OUT_DIR}/${trace}.png)
    file(READ ${OUT_DIR}/${trace}.png magic LIMIT 8 HEX)
  endif()
  if(NOT status EQUAL 0 OR NOT magic STREQUAL "89504e470d0a1a0a")
    message(FATAL_ERROR "chromium did not photograph ${trace}.html (status ${status}):\n${output}")
  endif()
  message(STATUS "${OUT_DIR}/${trace}.png")
endforeach()
file(REMOVE_RECURSE ${work})
