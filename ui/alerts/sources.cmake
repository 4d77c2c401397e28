# Sources of ui/alerts, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/alertfeedentry.h ${CMAKE_CURRENT_LIST_DIR}/alertfeedentry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alertfeedmodel.h ${CMAKE_CURRENT_LIST_DIR}/alertfeedmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alertfeedview.h ${CMAKE_CURRENT_LIST_DIR}/alertfeedview.cpp
)
