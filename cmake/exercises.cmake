# Exercises: one pair of test programs per entry of chapters/exercises.json.
#
#   exercise_<id>           the learner's file + the exercise's tests. Not part of `all`:
#                           an exercise in progress must never break the book's build.
#                           scripts/exercises builds and runs these, in order.
#   exercise_<id>_solution  the same tests against the reference solution. Part of the
#                           test suite (label "exercises"), so the tests stay honest.
#
# The tests are compiled once (an OBJECT library) and linked into both programs. An entry
# with "mpi_ranks" (chapter 13) has tests that run under mpiexec on that many ranks, as
# chapter 13's tests do, with the main() of tests/mpi_tests_main.cpp; mpiexec's --timeout
# ends a job whose ranks wait for each other forever.
set(TFM_EXERCISE_MANIFEST ${PROJECT_SOURCE_DIR}/chapters/exercises.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${TFM_EXERCISE_MANIFEST})
file(READ ${TFM_EXERCISE_MANIFEST} _manifest)
string(JSON _count LENGTH "${_manifest}" exercises)
math(EXPR _last "${_count} - 1")
set(TFM_EXERCISE_TARGETS "")
foreach(_i RANGE ${_last})
  foreach(_field id library file solution tests chapter)
    string(JSON _${_field} GET "${_manifest}" exercises ${_i} ${_field})
  endforeach()
  string(JSON _ranks ERROR_VARIABLE _no_ranks GET "${_manifest}" exercises ${_i} mpi_ranks)
  string(REPLACE "." "_" _slug "${_id}")
  string(SUBSTRING "${_chapter}" 0 2 _chapter_number)

  add_library(exercise_${_slug}_tests OBJECT ${PROJECT_SOURCE_DIR}/${_tests})
  target_link_libraries(exercise_${_slug}_tests PUBLIC ${_library} Catch2::Catch2)
  target_link_libraries(exercise_${_slug}_tests PRIVATE tfm_test_flags)
  target_include_directories(exercise_${_slug}_tests PUBLIC ${PROJECT_SOURCE_DIR}/tests)
  # Where the book's own data is (data/), for tests that read a committed text.
  target_compile_definitions(exercise_${_slug}_tests PRIVATE TFM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  tfm_precompile(tests exercise_${_slug}_tests)

  add_executable(exercise_${_slug} EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/${_file})
  add_executable(exercise_${_slug}_solution ${PROJECT_SOURCE_DIR}/${_solution})
  set(_catch Catch2::Catch2WithMain)
  if(NOT _no_ranks)
    set(_catch tfm_mpi_tests_main)  # a main() that starts and ends MPI (tests/CMakeLists.txt)
  endif()
  foreach(_target exercise_${_slug} exercise_${_slug}_solution)
    target_link_libraries(${_target} PRIVATE exercise_${_slug}_tests ${_library} ${_catch})
    set_target_properties(${_target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/exercises)
    tfm_precompile(code ${_target})
  endforeach()
  list(APPEND TFM_EXERCISE_TARGETS exercise_${_slug})

  if(TFM_BUILD_TESTS)
    enable_testing()
    if(_no_ranks)
      add_test(NAME exercise_${_slug}_solution COMMAND exercise_${_slug}_solution)
    else()
      find_package(MPI REQUIRED COMPONENTS CXX)
      add_test(NAME exercise_${_slug}_solution
               COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${_ranks} --allow-run-as-root
                       --oversubscribe --timeout 120 $<TARGET_FILE:exercise_${_slug}_solution>)
    endif()
    set_tests_properties(exercise_${_slug}_solution PROPERTIES
                         LABELS "exercises;ch${_chapter_number}"
                         ENVIRONMENT "OMP_WAIT_POLICY=passive")
  endif()
endforeach()

# `cmake --build build --target exercises` builds every learner program (the runner
# builds them one at a time instead, so it can stop at the first that does not compile).
add_custom_target(exercises DEPENDS ${TFM_EXERCISE_TARGETS})
