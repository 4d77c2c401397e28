# Sources of core/config, added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/appconfig.h
    ${CMAKE_CURRENT_LIST_DIR}/appconfig.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configerror.h
    ${CMAKE_CURRENT_LIST_DIR}/configerror.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configschema.h
    ${CMAKE_CURRENT_LIST_DIR}/configschema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configkeybuilders.h
    ${CMAKE_CURRENT_LIST_DIR}/configkeybuilders.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alertconfigkeys.h
    ${CMAKE_CURRENT_LIST_DIR}/alertconfigkeys.cpp
    ${CMAKE_CURRENT_LIST_DIR}/telemetryconfigkeys.h
    ${CMAKE_CURRENT_LIST_DIR}/telemetryconfigkeys.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configvalidation.h
    ${CMAKE_CURRENT_LIST_DIR}/configvalidation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/jsonduplicatekeys.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonduplicatekeys.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configloader.h
    ${CMAKE_CURRENT_LIST_DIR}/configloader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configprinter.h
    ${CMAKE_CURRENT_LIST_DIR}/configprinter.cpp
)
