# Sources of ui/controls, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/faultplaneditor.h ${CMAKE_CURRENT_LIST_DIR}/faultplaneditor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/controlpanel.h ${CMAKE_CURRENT_LIST_DIR}/controlpanel.cpp
)
