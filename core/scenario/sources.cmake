# Sources of core/scenario, added to breakwater_core, and the built-in scenarios.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/scenario.h
    ${CMAKE_CURRENT_LIST_DIR}/scenarioparser.h ${CMAKE_CURRENT_LIST_DIR}/scenarioparser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scenariorunner.h ${CMAKE_CURRENT_LIST_DIR}/scenariorunner.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scenarioexpectations.cpp
    ${CMAKE_CURRENT_LIST_DIR}/timescale.h ${CMAKE_CURRENT_LIST_DIR}/timescale.cpp
)
qt_add_resources(breakwater_core "breakwater_scenarios"
    PREFIX "/breakwater"
    BASE "${PROJECT_SOURCE_DIR}/resources"
    FILES "${PROJECT_SOURCE_DIR}/resources/scenarios/seed.json"
)
