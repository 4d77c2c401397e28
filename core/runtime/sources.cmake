# Sources of core/runtime, added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/agentruntime.h ${CMAKE_CURRENT_LIST_DIR}/agentruntime.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scenariowiring.h ${CMAKE_CURRENT_LIST_DIR}/scenariowiring.cpp
)
