# Sources of ui/stats, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/breakerhistory.h ${CMAKE_CURRENT_LIST_DIR}/breakerhistory.cpp
    ${CMAKE_CURRENT_LIST_DIR}/breakermark.h
    ${CMAKE_CURRENT_LIST_DIR}/bucketring.h ${CMAKE_CURRENT_LIST_DIR}/bucketring.cpp
    ${CMAKE_CURRENT_LIST_DIR}/callmetric.h
    ${CMAKE_CURRENT_LIST_DIR}/callstats.h ${CMAKE_CURRENT_LIST_DIR}/callstats.cpp
    ${CMAKE_CURRENT_LIST_DIR}/calltotals.h
    ${CMAKE_CURRENT_LIST_DIR}/latencyhistogram.h ${CMAKE_CURRENT_LIST_DIR}/latencyhistogram.cpp
    ${CMAKE_CURRENT_LIST_DIR}/secondbucket.h
)
