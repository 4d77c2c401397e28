# Sources of core/telemetry, added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/telemetrysettings.h
    ${CMAKE_CURRENT_LIST_DIR}/qtmessagerouter.h
    ${CMAKE_CURRENT_LIST_DIR}/qtmessagerouter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/writefully.h
    ${CMAKE_CURRENT_LIST_DIR}/flatjsonline.h
    ${CMAKE_CURRENT_LIST_DIR}/flatjsonline.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logcsvexport.h
    ${CMAKE_CURRENT_LIST_DIR}/logcsvexport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonencoding.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonencoding.cpp
    ${CMAKE_CURRENT_LIST_DIR}/isotimestampwriter.h
    ${CMAKE_CURRENT_LIST_DIR}/isotimestampwriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonlinesformatter.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonlinesformatter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/loglineparser.h
    ${CMAKE_CURRENT_LIST_DIR}/loglineparser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonlogsink.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonlogsink.cpp
    ${CMAKE_CURRENT_LIST_DIR}/csvwriter.h
    ${CMAKE_CURRENT_LIST_DIR}/csvwriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/eventcsv.h
    ${CMAKE_CURRENT_LIST_DIR}/eventcsv.cpp
)
# The Prometheus exporter keeps its own list beside its code.
include(${CMAKE_CURRENT_LIST_DIR}/metrics/sources.cmake)
# The Google Sheets sink and sheets.csv keep theirs beside their code too.
include(${CMAKE_CURRENT_LIST_DIR}/sheets/sources.cmake)
