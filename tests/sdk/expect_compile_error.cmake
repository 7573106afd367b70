# cmake -DCOMPILER=... -DINCLUDE=... -DSOURCE=... -DMISTAKE=N
#       [-DDIAGNOSTIC=regex] -P expect_compile_error.cmake
# Compiles SOURCE with KPI_MISTAKE=N (syntax only). Without DIAGNOSTIC it
# must compile; with it, it must fail and print a line matching DIAGNOSTIC,
# so a test cannot pass because of an unrelated error (a wrong include path).
execute_process(
  COMMAND ${COMPILER} -std=c++17 -fsyntax-only -I${INCLUDE}
          -DKPI_MISTAKE=${MISTAKE} ${SOURCE}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(NOT DEFINED DIAGNOSTIC)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "KPI_MISTAKE=${MISTAKE} should compile:\n${output}")
  endif()
  message(STATUS "KPI_MISTAKE=${MISTAKE} compiles")
  return()
endif()
if(result EQUAL 0)
  message(FATAL_ERROR "KPI_MISTAKE=${MISTAKE} compiled; it must not")
endif()
if(NOT output MATCHES "${DIAGNOSTIC}")
  message(FATAL_ERROR
    "KPI_MISTAKE=${MISTAKE} failed without '${DIAGNOSTIC}':\n${output}")
endif()
message(STATUS "KPI_MISTAKE=${MISTAKE} stopped the build: ${CMAKE_MATCH_0}")
