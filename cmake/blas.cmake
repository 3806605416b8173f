# Which BLAS the book links, chosen here by path rather than by Debian's alternatives.
#
# Debian installs each BLAS build in a folder of its own (/usr/lib/<arch>/openblas-openmp,
# .../openblas-pthread, .../blis-openmp) and points the generic names (libblas.so.3,
# libopenblas.so.0) at one of them through its alternatives system, which the machine's
# administrator controls. The book links the build it was measured with by its full path,
# and the programs carry that folder as their run path, so a program loads the same
# library whatever the alternatives say.
#
# The default, openblas-openmp, is OpenBLAS built on OpenMP: its products run on libgomp's
# team of threads, the same team our element-wise loops run on (chapter 00's parallel.cpp),
# so one set of threads does all the work. The others are kept to measure against
# (the performance appendix): openblas-pthread, OpenBLAS with its own pool of threads (the
# book's previous setup), and blis-openmp, BLIS on OpenMP.
set(TFM_BLAS "openblas-openmp" CACHE STRING
    "BLAS build to link: openblas-openmp (default), openblas-pthread or blis-openmp")
set_property(CACHE TFM_BLAS PROPERTY STRINGS openblas-openmp openblas-pthread blis-openmp)
if(NOT TFM_BLAS MATCHES "^(openblas-openmp|openblas-pthread|blis-openmp)$")
  message(FATAL_ERROR "TFM_BLAS='${TFM_BLAS}': expected openblas-openmp, openblas-pthread or blis-openmp")
endif()

find_package(OpenMP REQUIRED COMPONENTS CXX)

if(TFM_BLAS MATCHES "^blis")
  set(blas_name blis)
  set(blas_package libblis-openmp-dev)
else()
  set(blas_name openblas)
  set(blas_package lib${TFM_BLAS}-dev)
endif()
# The multiarch folder Debian keeps each build in (x86_64-linux-gnu on a PC).
set(blas_lib_dir /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/${TFM_BLAS})
set(blas_include_dir /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/${TFM_BLAS})
find_library(TFM_BLAS_LIBRARY NAMES ${blas_name} PATHS ${blas_lib_dir} NO_DEFAULT_PATH)
find_path(TFM_BLAS_INCLUDE_DIR cblas.h PATHS ${blas_include_dir} NO_DEFAULT_PATH)
if(NOT TFM_BLAS_LIBRARY OR NOT TFM_BLAS_INCLUDE_DIR)
  message(FATAL_ERROR "BLAS '${TFM_BLAS}' not found in ${blas_lib_dir} and ${blas_include_dir}: "
                      "install ${blas_package} (scripts/install-deps.sh does)")
endif()
message(STATUS "BLAS: ${TFM_BLAS_LIBRARY} (${TFM_BLAS}), cblas.h from ${TFM_BLAS_INCLUDE_DIR}")

# tfm_blas: the library, its cblas.h (for the one file that includes it) and OpenMP.
add_library(tfm_blas INTERFACE)
target_link_libraries(tfm_blas INTERFACE ${TFM_BLAS_LIBRARY} OpenMP::OpenMP_CXX)
target_include_directories(tfm_blas SYSTEM INTERFACE ${TFM_BLAS_INCLUDE_DIR})
if(blas_name STREQUAL blis)
  target_compile_definitions(tfm_blas INTERFACE TFM_BLAS_BLIS)
endif()
# The library's folder is not one the dynamic loader searches, and its file names
# (libopenblas.so.0) are the ones the alternatives system redirects: every program gets the
# folder as its run path, searched before the system's folders.
set(CMAKE_BUILD_RPATH ${blas_lib_dir})
set(CMAKE_INSTALL_RPATH ${blas_lib_dir})
