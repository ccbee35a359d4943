# Compiler flags shared by every landmark target (applied through landmark_flags).
add_library(landmark_flags INTERFACE)
target_compile_options(landmark_flags INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter>)
if(LANDMARK_WERROR)
    target_compile_options(landmark_flags INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
endif()
if(LANDMARK_NATIVE)
    # Build and tests run on the same machine, so the native ISA (AVX2/FMA here) is safe.
    target_compile_options(landmark_flags INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-march=native>)
endif()
# -O3 lets GCC vectorise the functor loops; no -ffast-math: NaN/Inf checks must keep working.
# -fno-trapping-math lets GCC if-convert the selects in exp_f/erf_f/tanh_f (computing both
# sides of a ternary may raise an FP flag nobody reads); without it every functor loop with a
# branch, i.e. GELU, softmax, exp, stays scalar ("control flow in loop"). Values are unchanged.
# -fno-math-errno only drops errno updates, so sqrt and friends vectorise.
target_compile_options(landmark_flags INTERFACE
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CONFIG:Release>>:-O3 -fno-trapping-math>
    $<$<COMPILE_LANGUAGE:CXX>:-fno-math-errno>)

if(LANDMARK_SANITIZE)
    target_compile_options(landmark_flags INTERFACE
        $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${LANDMARK_SANITIZE} -fno-omit-frame-pointer
        -fno-sanitize-recover=all>)
    target_link_options(landmark_flags INTERFACE -fsanitize=${LANDMARK_SANITIZE})
endif()

if(LANDMARK_FUZZ)
    # Coverage for libFuzzer plus ASan/UBSan on every landmark target; the fuzz executables add
    # -fsanitize=fuzzer (tests/fuzz/CMakeLists.txt).
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "LANDMARK_FUZZ needs clang: configure with "
                            "-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
    endif()
    target_compile_options(landmark_flags INTERFACE
        $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=fuzzer-no-link,address,undefined -g
        -fno-omit-frame-pointer -fno-sanitize-recover=all>)
    target_link_options(landmark_flags INTERFACE -fsanitize=address,undefined)
endif()
