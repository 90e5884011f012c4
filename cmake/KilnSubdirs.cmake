# kiln_add_subdirs(BASE dir...): add_subdirectory() for each BASE/dir that has
# a CMakeLists.txt, so areas can be added one at a time without editing a list.
function(kiln_add_subdirs base)
  foreach(dir ${ARGN})
    if(EXISTS "${base}/${dir}/CMakeLists.txt")
      add_subdirectory("${base}/${dir}")
    endif()
  endforeach()
endfunction()

# kiln_add_all_subdirs(): every immediate sub-folder of the current source dir
# that has a CMakeLists.txt, in name order.
function(kiln_add_all_subdirs)
  file(GLOB children RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/*")
  list(SORT children)
  foreach(child ${children})
    if(IS_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/${child}" AND EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt")
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
