# Sources of core/telemetry/sheets, added to breakwater_core: the Google Sheets sink (libcurl
# for values.append and the token endpoint, OpenSSL to sign the service account's JWT), its
# durable queue, and sheets.csv for when no spreadsheet is configured.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/sheetsrow.h ${CMAKE_CURRENT_LIST_DIR}/sheetsrow.cpp
    ${CMAKE_CURRENT_LIST_DIR}/serviceaccount.h ${CMAKE_CURRENT_LIST_DIR}/serviceaccount.cpp
    ${CMAKE_CURRENT_LIST_DIR}/accesstoken.h ${CMAKE_CURRENT_LIST_DIR}/accesstoken.cpp
    ${CMAKE_CURRENT_LIST_DIR}/segmentreader.h ${CMAKE_CURRENT_LIST_DIR}/segmentreader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sheetsqueue.h ${CMAKE_CURRENT_LIST_DIR}/sheetsqueue.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sheetsappend.h ${CMAKE_CURRENT_LIST_DIR}/sheetsappend.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sheetsevents.h ${CMAKE_CURRENT_LIST_DIR}/sheetsevents.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sheetsrowsink.h ${CMAKE_CURRENT_LIST_DIR}/sheetsrowsink.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sheetssink.h ${CMAKE_CURRENT_LIST_DIR}/sheetssink.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sheetscsvsink.h ${CMAKE_CURRENT_LIST_DIR}/sheetscsvsink.cpp
)
