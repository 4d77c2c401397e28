# Sources of ui/session, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/dashboardsession.h ${CMAKE_CURRENT_LIST_DIR}/dashboardsession.cpp
)
