# surge_module(NAME DEPS dep...): one static library per src/ folder, built from every .cpp in it.
# DEPS lists only the modules the layering rows allow (STYLE.md).
function(surge_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT sources)  # a header-only module
    add_library(surge_${name} INTERFACE)
    target_include_directories(surge_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(surge_${name} INTERFACE ${M_DEPS})
    return()
  endif()
  add_library(surge_${name} STATIC ${sources})
  target_include_directories(surge_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(surge_${name} PUBLIC ${M_DEPS})
endfunction()

# surge_tests(NAME [SERIAL] DEPS dep...): one GoogleTest binary per tests/ folder, every *_test.cpp in it.
function(surge_tests name)
  cmake_parse_arguments(T "SERIAL" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(surge_${name}_tests ${sources})
  target_link_libraries(surge_${name}_tests PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(surge_${name}_tests PRIVATE
    SURGE_BINARY="$<TARGET_FILE:surge>" SURGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(serial FALSE)
  if(T_SERIAL)
    set(serial TRUE)
  endif()
  gtest_discover_tests(surge_${name}_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 300 RUN_SERIAL ${serial})
endfunction()
