# Sources of ui/breaker, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/breakerpanelstate.h ${CMAKE_CURRENT_LIST_DIR}/breakerpanelstate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/breakerpanel.h ${CMAKE_CURRENT_LIST_DIR}/breakerpanel.cpp
)
