# landmark_module(<target> <dir>): give a module library a private include root.
#
# Every module is included as "<dir>/file.h" from the repository root, but a target only sees
# the include roots of itself and of the modules it links. A header of a module above it in the
# dependency order (base <- core <- layers <- models <- train <- tools; base <- data) is
# therefore not found, and a wrong include fails to build instead of silently coupling modules.
# `dir` may be nested (core/base: lm_base sees only core/base/, not the rest of core).
function(landmark_module target dir)
    string(REPLACE "/" "_" root_name "${dir}")
    set(root "${CMAKE_BINARY_DIR}/include_roots/${root_name}")
    get_filename_component(link_parent "${root}/${dir}" DIRECTORY)
    file(MAKE_DIRECTORY "${link_parent}")
    if(NOT EXISTS "${root}/${dir}")
        file(CREATE_LINK "${CMAKE_SOURCE_DIR}/${dir}" "${root}/${dir}" SYMBOLIC)
    endif()
    target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${root}>")
    target_link_libraries(${target} PRIVATE landmark_flags)
endfunction()
