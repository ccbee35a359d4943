# landmark_module(<target> <dir>): give a module library a private include root.
#
# Every module is included as "<dir>/file.h" from the repository root, but a target only sees
# the include roots of itself and of the modules it links. A header of a module above it in the
# dependency order (core <- layers <- models <- train <- tools; data alone) is therefore not
# found, and a wrong include fails to build instead of silently coupling modules.
function(landmark_module target dir)
    set(root "${CMAKE_BINARY_DIR}/include_roots/${dir}")
    file(MAKE_DIRECTORY "${root}")
    if(NOT EXISTS "${root}/${dir}")
        file(CREATE_LINK "${CMAKE_SOURCE_DIR}/${dir}" "${root}/${dir}" SYMBOLIC)
    endif()
    target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${root}>")
    target_link_libraries(${target} PRIVATE landmark_flags)
endfunction()
