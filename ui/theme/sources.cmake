# Sources of ui/theme, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/contrast.h ${CMAKE_CURRENT_LIST_DIR}/contrast.cpp
    ${CMAKE_CURRENT_LIST_DIR}/palettes.h ${CMAKE_CURRENT_LIST_DIR}/palettes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/theme.h ${CMAKE_CURRENT_LIST_DIR}/theme.cpp
    ${CMAKE_CURRENT_LIST_DIR}/statuscolors.h ${CMAKE_CURRENT_LIST_DIR}/statuscolors.cpp
)
