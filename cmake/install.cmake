# Installs the library for other projects: its headers, libgocurrent.a, a CMake package
# (find_package(gocurrent) gives the target gocurrent::gocurrent) and a pkg-config file.
#
#     cmake --install build/default --prefix ~/.local
#
# Both package files find the installation from where they are installed, so --prefix may differ
# from the prefix the build was configured with.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS gocurrent EXPORT gocurrentTargets)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/include/gocurrent DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(_go_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/gocurrent)
install(EXPORT gocurrentTargets NAMESPACE gocurrent:: DESTINATION ${_go_package_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/gocurrentConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/gocurrentConfig.cmake
                              INSTALL_DESTINATION ${_go_package_dir})
# Before 1.0 a minor version may break the API, as in Go modules.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gocurrentConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gocurrentConfig.cmake ${PROJECT_BINARY_DIR}/gocurrentConfigVersion.cmake
        DESTINATION ${_go_package_dir})

# gocurrent.pc names the headers' directory relative to its own (pkg-config's ${pcfiledir}).
file(RELATIVE_PATH GOCURRENT_PC_INCLUDEDIR ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_FULL_INCLUDEDIR})
configure_file(${PROJECT_SOURCE_DIR}/lib/gocurrent.pc.in ${PROJECT_BINARY_DIR}/gocurrent.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gocurrent.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The optional parts, where this build has them (lib/CMakeLists.txt): gocurrent::gocurrent-gperf
# and gocurrent::gocurrent-http in the CMake package, gocurrent-gperf.pc and gocurrent-http.pc
# for pkg-config. Their own dependencies (gperftools, libmicrohttpd) are found where this build
# found them.
foreach(_go_part IN ITEMS gperf http)
  if(TARGET gocurrent-${_go_part})
    install(TARGETS gocurrent-${_go_part} EXPORT gocurrentTargets)
    configure_file(${PROJECT_SOURCE_DIR}/lib/gocurrent-${_go_part}.pc.in
                   ${PROJECT_BINARY_DIR}/gocurrent-${_go_part}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/gocurrent-${_go_part}.pc
            DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  endif()
endforeach()
