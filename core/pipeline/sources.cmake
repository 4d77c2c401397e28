# Sources of core/pipeline, added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/callrequest.h
    ${CMAKE_CURRENT_LIST_DIR}/callqueue.h ${CMAKE_CURRENT_LIST_DIR}/callqueue.cpp
    ${CMAKE_CURRENT_LIST_DIR}/callcontext.h
    ${CMAKE_CURRENT_LIST_DIR}/callrun.h ${CMAKE_CURRENT_LIST_DIR}/callrun.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pipelineoptions.h
    ${CMAKE_CURRENT_LIST_DIR}/pipelineworker.h ${CMAKE_CURRENT_LIST_DIR}/pipelineworker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/callpipeline.h ${CMAKE_CURRENT_LIST_DIR}/callpipeline.cpp
    ${CMAKE_CURRENT_LIST_DIR}/samplescripts.h ${CMAKE_CURRENT_LIST_DIR}/samplescripts.cpp
    ${CMAKE_CURRENT_LIST_DIR}/loadgenerator.h ${CMAKE_CURRENT_LIST_DIR}/loadgenerator.cpp
)
