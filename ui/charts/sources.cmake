# Sources of ui/charts, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/axisscale.h ${CMAKE_CURRENT_LIST_DIR}/axisscale.cpp
    ${CMAKE_CURRENT_LIST_DIR}/breakertimelineview.h ${CMAKE_CURRENT_LIST_DIR}/breakertimelineview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/livechartsview.h ${CMAKE_CURRENT_LIST_DIR}/livechartsview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/seriesstyle.h ${CMAKE_CURRENT_LIST_DIR}/seriesstyle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/timechart.h ${CMAKE_CURRENT_LIST_DIR}/timechart.cpp
)
