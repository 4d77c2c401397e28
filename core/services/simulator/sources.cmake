# Sources of core/services/simulator, added to breakwater_core.
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/faultplan.cpp
    ${CMAKE_CURRENT_LIST_DIR}/simulatorcounters.h
    ${CMAKE_CURRENT_LIST_DIR}/simulatorcounters.cpp
    ${CMAKE_CURRENT_LIST_DIR}/simulatorcontrol.h
    ${CMAKE_CURRENT_LIST_DIR}/simulatorcontrol.cpp
    ${CMAKE_CURRENT_LIST_DIR}/simulatedaudio.h
    ${CMAKE_CURRENT_LIST_DIR}/simulatedaudio.cpp
    ${CMAKE_CURRENT_LIST_DIR}/simulatorresponses.h
    ${CMAKE_CURRENT_LIST_DIR}/simulatorresponses.cpp
    ${CMAKE_CURRENT_LIST_DIR}/simulatedelevenlabsapi.h
    ${CMAKE_CURRENT_LIST_DIR}/simulatedelevenlabsapi.cpp
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabssimulator.h
    ${CMAKE_CURRENT_LIST_DIR}/elevenlabssimulator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/simulatorhost.h
    ${CMAKE_CURRENT_LIST_DIR}/simulatorhost.cpp
)
