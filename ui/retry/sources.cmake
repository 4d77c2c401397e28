# Sources of ui/retry, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/callending.h ${CMAKE_CURRENT_LIST_DIR}/callending.cpp
    ${CMAKE_CURRENT_LIST_DIR}/retriedcall.h ${CMAKE_CURRENT_LIST_DIR}/retriedcall.cpp
    ${CMAKE_CURRENT_LIST_DIR}/retrytrackermodel.h ${CMAKE_CURRENT_LIST_DIR}/retrytrackermodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/attemptsdistribution.h ${CMAKE_CURRENT_LIST_DIR}/attemptsdistribution.cpp
    ${CMAKE_CURRENT_LIST_DIR}/attemptsdistributionchart.h ${CMAKE_CURRENT_LIST_DIR}/attemptsdistributionchart.cpp
    ${CMAKE_CURRENT_LIST_DIR}/retryview.h ${CMAKE_CURRENT_LIST_DIR}/retryview.cpp
)
