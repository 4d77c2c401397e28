# Sources of core/services/elevenlabs, added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabsrequests.h
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabsrequests.cpp
    ${CMAKE_CURRENT_LIST_DIR}/boundedreply.h
    ${CMAKE_CURRENT_LIST_DIR}/boundedreply.cpp
    ${CMAKE_CURRENT_LIST_DIR}/replyinterpretation.h
    ${CMAKE_CURRENT_LIST_DIR}/replyinterpretation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabshealthprobe.h
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabshealthprobe.cpp
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabsclient.h
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabsclient.cpp
)
