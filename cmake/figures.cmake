# Figures for the docs site, drawn by the chapters' own programs.
#
#   tfm_add_figures(<program> [SCRIPTS a.gp ...] [DOTS b.dot ...] OUTPUTS a.svg b.svg ...)
#
# runs `<program> --figures DIR` (which writes the numbers as text files into DIR), then
# each gnuplot script with `dir` set to DIR (each reads its data from DIR and writes its
# SVG there), and graphviz's `dot` on each graph the program wrote. DIR is build/docs/figures, Doxygen's IMAGE_PATH; the `docs` target depends
# on every figure. Figures are only drawn for the docs, never by the tests. Each program
# runs on one thread (TFM_THREADS=1): a figure's numbers then do not depend on the
# machine's cores, and the build can draw several side by side.
find_program(GNUPLOT_EXECUTABLE gnuplot)
find_program(DOT_EXECUTABLE dot)
set(TFM_FIGURE_DIR ${PROJECT_BINARY_DIR}/docs/figures)

function(tfm_add_figures program)
  cmake_parse_arguments(FIG "" "" "SCRIPTS;DOTS;OUTPUTS" ${ARGN})
  set(outputs "")
  foreach(out IN LISTS FIG_OUTPUTS)
    list(APPEND outputs ${TFM_FIGURE_DIR}/${out})
  endforeach()
  set(commands COMMAND ${CMAKE_COMMAND} -E make_directory ${TFM_FIGURE_DIR}
               COMMAND ${CMAKE_COMMAND} -E env TFM_THREADS=1
                       $<TARGET_FILE:${program}> --figures ${TFM_FIGURE_DIR})
  set(scripts "")
  foreach(script IN LISTS FIG_SCRIPTS)
    set(path ${CMAKE_CURRENT_SOURCE_DIR}/${script})
    list(APPEND scripts ${path})
    if(GNUPLOT_EXECUTABLE)
      list(APPEND commands COMMAND ${GNUPLOT_EXECUTABLE} -e "dir='${TFM_FIGURE_DIR}'" ${path})
    else()
      list(APPEND commands COMMAND ${CMAKE_COMMAND} -E echo
           "figures: gnuplot not found (scripts/install-deps.sh --docs)" COMMAND ${CMAKE_COMMAND} -E false)
    endif()
  endforeach()
  foreach(graph IN LISTS FIG_DOTS)
    string(REGEX REPLACE "\\.dot$" ".svg" svg ${graph})
    if(DOT_EXECUTABLE)
      list(APPEND commands COMMAND ${DOT_EXECUTABLE} -Tsvg ${TFM_FIGURE_DIR}/${graph} -o ${TFM_FIGURE_DIR}/${svg})
    else()
      list(APPEND commands COMMAND ${CMAKE_COMMAND} -E echo
           "figures: graphviz's dot not found (scripts/install-deps.sh --docs)" COMMAND ${CMAKE_COMMAND} -E false)
    endif()
  endforeach()
  add_custom_command(OUTPUT ${outputs} ${commands}
                     DEPENDS ${program} ${scripts}
                     WORKING_DIRECTORY ${TFM_FIGURE_DIR}
                     COMMENT "Drawing the figures of ${program}" VERBATIM)
  add_custom_target(figures_${program} DEPENDS ${outputs})
  set_property(GLOBAL APPEND PROPERTY TFM_FIGURE_TARGETS figures_${program})
endfunction()
