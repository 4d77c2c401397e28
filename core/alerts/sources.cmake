# Sources of core/alerts, added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/alert.h
    ${CMAKE_CURRENT_LIST_DIR}/alertmanager.h ${CMAKE_CURRENT_LIST_DIR}/alertmanager.cpp
)
