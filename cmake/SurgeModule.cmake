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

# surge_tests(NAME [SERIAL] [SERIAL_TESTS pattern...] [LONG_TESTS pattern...] DEPS dep...): one GoogleTest
# binary per tests/ folder, every *_test.cpp in it. SERIAL runs all its tests alone (CTest RUN_SERIAL);
# SERIAL_TESTS only those matching the gtest filter patterns (Suite.* or Suite.Test), the rest in parallel
# (docs/development.md says which). LONG_TESTS are parallel tests that take many seconds, mostly waiting: a
# high COST starts them first, so that on a fresh clone (no CTestCostData.txt yet) the short tests fill the
# other slot beside them instead of one of them running alone at the end.
function(surge_tests name)
  cmake_parse_arguments(T "SERIAL" "" "DEPS;SERIAL_TESTS;LONG_TESTS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(surge_${name}_tests ${sources})
  target_link_libraries(surge_${name}_tests PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(surge_${name}_tests PRIVATE
    SURGE_BINARY="$<TARGET_FILE:surge>" SURGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  # The code under test is built as the release builds it (src/, -O2); the tests' own code (gtest's macros,
  # nlohmann::json's templates) builds in about two thirds of the time at -O1 and runs as fast as it needs to.
  target_compile_options(surge_${name}_tests PRIVATE -O1)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # At -O1 (and with the sanitizers) GCC inlines the tests' replacement operator new/delete
    # (tests/support/counting_new.h, malloc and free) into gtest and then takes the pair for a mismatch: a
    # false positive.
    target_compile_options(surge_${name}_tests PRIVATE -Wno-mismatched-new-delete)
  endif()
  set(serial FALSE)
  if(T_SERIAL)
    set(serial TRUE)
  endif()
  # The label is the folder name, so a run can pick or leave out a folder (`ctest -LE e2e`, docs/development.md).
  if(T_SERIAL_TESTS)
    list(JOIN T_SERIAL_TESTS ":" filter)
    gtest_discover_tests(surge_${name}_tests DISCOVERY_TIMEOUT 30 TEST_FILTER "${filter}"
                         PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE LABELS ${name})
    if(T_LONG_TESTS)
      list(JOIN T_LONG_TESTS ":" long)
      gtest_discover_tests(surge_${name}_tests DISCOVERY_TIMEOUT 30 TEST_FILTER "${long}"
                           PROPERTIES TIMEOUT 300 COST 1000 LABELS ${name})
      set(filter "${filter}:${long}")
    endif()
    gtest_discover_tests(surge_${name}_tests DISCOVERY_TIMEOUT 30 TEST_FILTER "-${filter}"
                         PROPERTIES TIMEOUT 300 LABELS ${name})
    return()
  endif()
  gtest_discover_tests(surge_${name}_tests DISCOVERY_TIMEOUT 30
                       PROPERTIES TIMEOUT 300 RUN_SERIAL ${serial} LABELS ${name})
endfunction()
