# The BLAS the book links: OpenBLAS built on OpenMP, chosen here by its path rather than by
# Debian's alternatives.
#
# OpenBLAS built on OpenMP runs its products on libgomp's team of threads, the same team
# our element-wise loops run on (chapter 00's parallel.cpp), so one set of threads does
# all the work; the performance appendix measures why that matters on few cores.
#
# Debian installs each BLAS build in a folder of its own (/usr/lib/<arch>/openblas-openmp,
# .../openblas-pthread, ...) and points the generic names (libblas.so.3, libopenblas.so.0)
# at one of them through its alternatives system, which belongs to the machine's
# administrator. We link the OpenMP build by its full path and give every program that
# folder as its run path, so a program loads the same library whatever the alternatives
# say. (LD_LIBRARY_PATH still overrides a run path: the appendix uses that to time the
# other builds with the same programs.)
find_package(OpenMP REQUIRED COMPONENTS CXX)

# The multiarch folders Debian keeps the build in (x86_64-linux-gnu on a PC).
set(TFM_BLAS_DIR /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp)
find_library(TFM_BLAS_LIBRARY NAMES openblas PATHS ${TFM_BLAS_DIR} NO_DEFAULT_PATH)
find_path(TFM_BLAS_INCLUDE_DIR cblas.h
          PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp NO_DEFAULT_PATH)
if(NOT TFM_BLAS_LIBRARY OR NOT TFM_BLAS_INCLUDE_DIR)
  message(FATAL_ERROR "OpenBLAS built on OpenMP not found in ${TFM_BLAS_DIR}: install "
                      "libopenblas-openmp-dev (scripts/install-deps.sh does)")
endif()
message(STATUS "BLAS: ${TFM_BLAS_LIBRARY} (OpenBLAS on OpenMP)")

# tfm_blas: the library, its cblas.h (for the one file that includes it) and OpenMP.
add_library(tfm_blas INTERFACE)
target_link_libraries(tfm_blas INTERFACE ${TFM_BLAS_LIBRARY} OpenMP::OpenMP_CXX)
target_include_directories(tfm_blas SYSTEM INTERFACE ${TFM_BLAS_INCLUDE_DIR})
# The library's file name, libopenblas.so.0, is one the alternatives system redirects:
# every program searches the OpenMP build's folder first.
set(CMAKE_BUILD_RPATH ${TFM_BLAS_DIR})
set(CMAKE_INSTALL_RPATH ${TFM_BLAS_DIR})
