# Sources of core/telemetry/metrics (the Prometheus exporter), added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/metricsregistry.h ${CMAKE_CURRENT_LIST_DIR}/metricsregistry.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sampledmetrics.h ${CMAKE_CURRENT_LIST_DIR}/sampledmetrics.cpp
    ${CMAKE_CURRENT_LIST_DIR}/breakerstatefamily.h ${CMAKE_CURRENT_LIST_DIR}/breakerstatefamily.cpp
    ${CMAKE_CURRENT_LIST_DIR}/eventfamilies.h ${CMAKE_CURRENT_LIST_DIR}/eventfamilies.cpp
    ${CMAKE_CURRENT_LIST_DIR}/servicemetrics.h ${CMAKE_CURRENT_LIST_DIR}/servicemetrics.cpp
    ${CMAKE_CURRENT_LIST_DIR}/metricssink.h ${CMAKE_CURRENT_LIST_DIR}/metricssink.cpp
    ${CMAKE_CURRENT_LIST_DIR}/componentmetrics.h ${CMAKE_CURRENT_LIST_DIR}/componentmetrics.cpp
    ${CMAKE_CURRENT_LIST_DIR}/metricshttpserver.h ${CMAKE_CURRENT_LIST_DIR}/metricshttpserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/metricsendpoint.h ${CMAKE_CURRENT_LIST_DIR}/metricsendpoint.cpp
)
