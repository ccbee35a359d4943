# Third-party dependencies, all from Debian packages (installed by tools/setup.sh).
find_package(PkgConfig REQUIRED)
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)
pkg_check_modules(FFTW REQUIRED IMPORTED_TARGET fftw3 fftw3f)

# OpenBLAS: prefer the OpenMP build, whose sgemm runs single-threaded when called inside our
# own parallel regions and multi-threaded otherwise (the pthread build would oversubscribe).
set(_openblas_dirs /usr/lib/x86_64-linux-gnu/openblas-openmp /usr/lib/aarch64-linux-gnu/openblas-openmp)
find_library(LANDMARK_OPENBLAS_LIBRARY NAMES openblas PATHS ${_openblas_dirs} NO_DEFAULT_PATH)
if(NOT LANDMARK_OPENBLAS_LIBRARY)
    message(WARNING "OpenMP build of OpenBLAS not found (apt install libopenblas-openmp-dev); "
                    "falling back to the default OpenBLAS")
    find_library(LANDMARK_OPENBLAS_LIBRARY NAMES openblas REQUIRED)
endif()
find_path(LANDMARK_CBLAS_INCLUDE NAMES cblas.h PATH_SUFFIXES openblas REQUIRED)
add_library(landmark_openblas INTERFACE)
target_link_libraries(landmark_openblas INTERFACE ${LANDMARK_OPENBLAS_LIBRARY})
target_include_directories(landmark_openblas SYSTEM INTERFACE ${LANDMARK_CBLAS_INCLUDE})

if(LANDMARK_BUILD_TESTS)
    find_package(GTest REQUIRED)
endif()
if(LANDMARK_BUILD_BENCH)
    find_package(benchmark REQUIRED)
endif()
