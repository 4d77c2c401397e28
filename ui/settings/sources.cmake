# Sources of ui/settings, added to breakwater_ui.
target_sources(breakwater_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/settingspages.h ${CMAKE_CURRENT_LIST_DIR}/settingspages.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configfieldeditor.h ${CMAKE_CURRENT_LIST_DIR}/configfieldeditor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/apikeyeditor.h ${CMAKE_CURRENT_LIST_DIR}/apikeyeditor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configfilewriter.h ${CMAKE_CURRENT_LIST_DIR}/configfilewriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/settingsdialog.h ${CMAKE_CURRENT_LIST_DIR}/settingsdialog.cpp
)
