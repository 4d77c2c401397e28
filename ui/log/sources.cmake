# Sources of ui/log, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/logrow.h
    ${CMAKE_CURRENT_LIST_DIR}/logstringtable.h ${CMAKE_CURRENT_LIST_DIR}/logstringtable.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logrowchunk.h ${CMAKE_CURRENT_LIST_DIR}/logrowchunk.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logrowref.h ${CMAKE_CURRENT_LIST_DIR}/logrowref.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logsnapshot.h ${CMAKE_CURRENT_LIST_DIR}/logsnapshot.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logring.h ${CMAKE_CURRENT_LIST_DIR}/logring.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logfiltersettings.h
    ${CMAKE_CURRENT_LIST_DIR}/logrowmatcher.h ${CMAKE_CURRENT_LIST_DIR}/logrowmatcher.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logcells.h ${CMAKE_CURRENT_LIST_DIR}/logcells.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logtablemodel.h ${CMAKE_CURRENT_LIST_DIR}/logtablemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logfilterproxy.h ${CMAKE_CURRENT_LIST_DIR}/logfilterproxy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logeventdetails.h ${CMAKE_CURRENT_LIST_DIR}/logeventdetails.cpp
    ${CMAKE_CURRENT_LIST_DIR}/csvexportjob.h ${CMAKE_CURRENT_LIST_DIR}/csvexportjob.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logfilterbar.h ${CMAKE_CURRENT_LIST_DIR}/logfilterbar.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logview.h ${CMAKE_CURRENT_LIST_DIR}/logview.cpp
)
