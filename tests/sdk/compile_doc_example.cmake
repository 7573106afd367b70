# cmake -DCOMPILER=... -DINCLUDE=... -DDOC=file.md -DAFTER=text
#       -DWORK=dir -P compile_doc_example.cmake
# Compiles (syntax only) the first ```cpp block of DOC that follows the line
# containing AFTER, so the code the guides show stays code that builds.
file(READ ${DOC} text)
string(FIND "${text}" "${AFTER}" start)
if(start EQUAL -1)
  message(FATAL_ERROR "${DOC}: no '${AFTER}'")
endif()
string(SUBSTRING "${text}" ${start} -1 text)
string(FIND "${text}" "```cpp\n" open)
if(open EQUAL -1)
  message(FATAL_ERROR "${DOC}: no ```cpp block after '${AFTER}'")
endif()
math(EXPR open "${open} + 7")
string(SUBSTRING "${text}" ${open} -1 text)
string(FIND "${text}" "```" close)
string(SUBSTRING "${text}" 0 ${close} code)
file(MAKE_DIRECTORY ${WORK})
get_filename_component(name ${DOC} NAME_WE)
set(source ${WORK}/${name}_example.cc)
file(WRITE ${source} "${code}")
execute_process(
  COMMAND ${COMPILER} -std=c++17 -fsyntax-only -Wall -Werror -I${INCLUDE}
          ${source}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the example of ${DOC} does not compile:\n${output}")
endif()
