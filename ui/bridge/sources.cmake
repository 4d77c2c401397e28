# Sources of ui/bridge, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/eventbridge.h ${CMAKE_CURRENT_LIST_DIR}/eventbridge.cpp
)
