# Precompiled headers: xtensor's headers (and, for the tests, Catch2's) parsed once, not
# in every one of the ~190 translation units that include them.
#
#   tfm_precompile(code <targets...>)    xtensor and the standard headers
#   tfm_precompile(tests <targets...>)   the same plus Catch2's single header
#
# Parsing those headers is a third of most translation units' compile time here (two of
# the five seconds of an exercise's tests); reading them precompiled takes a fraction of
# a second. The whole default build, exercises included, took 27% less time with them
# (7.7 against 10.6 minutes on 2 cores, 3 December 2026). Each kind is compiled once, by
# a small object library, and every target reuses that one file. Code and tests get
# separate ones so that Catch2's macros (CHECK, INFO, SECTION, ...) are never in scope
# in the chapters' code or the exercises.
#
# The compiler uses a precompiled header only when the target's flags match the ones it
# was made with (GCC warns with -Winvalid-pch, which CMake adds, and compiles the headers
# normally instead), so both hosts take the flags every chapter's code takes.
#
# What a precompiled header hides is a missing #include of one of these headers: the
# file compiles here and not in a build without them. The `asan` preset builds without
# them (under the sanitizers they save 3%: instrumenting, not parsing, takes the time),
# so CI's sanitizer build checks the includes of every library and test. The WebAssembly
# build (docs/look_inside) precompiles the same headers for its one program, with
# emscripten's compiler: 33 % less compile time there. -DTFM_PCH=OFF turns them off
# anywhere.
option(TFM_PCH "Precompile the xtensor (and, for the tests, Catch2) headers once" ON)

set(TFM_PCH_HEADERS
    <algorithm> <cmath> <cstddef> <functional> <memory> <stdexcept> <string> <vector>
    <xtensor/xarray.hpp> <xtensor/xbuilder.hpp> <xtensor/xmath.hpp> <xtensor/xnoalias.hpp>
    <xtensor/xtensor.hpp> <xtensor/xview.hpp>)

if(TFM_PCH AND NOT EMSCRIPTEN)
  file(WRITE ${PROJECT_BINARY_DIR}/tfm_pch_host.cpp "// compiles the precompiled headers\n")
  add_library(tfm_pch_code OBJECT ${PROJECT_BINARY_DIR}/tfm_pch_host.cpp)
  target_link_libraries(tfm_pch_code PRIVATE tfm_flags tfm_blas Threads::Threads)
  target_precompile_headers(tfm_pch_code PRIVATE ${TFM_PCH_HEADERS})
  if(TFM_BUILD_TESTS)
    add_library(tfm_pch_tests OBJECT ${PROJECT_BINARY_DIR}/tfm_pch_host.cpp)
    target_link_libraries(tfm_pch_tests PRIVATE tfm_flags tfm_test_flags tfm_blas Threads::Threads Catch2::Catch2)
    target_precompile_headers(tfm_pch_tests PRIVATE ${TFM_PCH_HEADERS} <catch2/catch.hpp>)
  endif()
endif()

function(tfm_precompile kind)
  if(NOT TFM_PCH)
    return()
  endif()
  foreach(target IN LISTS ARGN)
    target_precompile_headers(${target} REUSE_FROM tfm_pch_${kind})
  endforeach()
endfunction()

# tfm_precompile_directories(<dirs...>): the code headers for every library and program
# that those folders define.
function(tfm_precompile_directories)
  foreach(dir IN LISTS ARGN)
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(type STREQUAL "STATIC_LIBRARY" OR type STREQUAL "EXECUTABLE")
        tfm_precompile(code ${target})
      endif()
    endforeach()
  endforeach()
endfunction()
