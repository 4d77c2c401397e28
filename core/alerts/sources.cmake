# Sources of core/alerts, added to breakwater_core: the rules, grouping, the outbox and the
# channels that deliver (libcurl for SMTP and HTTP, OpenSSL for webhook signatures).
target_sources(breakwater_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/alert.h ${CMAKE_CURRENT_LIST_DIR}/alert.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alertsettings.h
    ${CMAKE_CURRENT_LIST_DIR}/alertrules.h ${CMAKE_CURRENT_LIST_DIR}/alertrules.cpp
    ${CMAKE_CURRENT_LIST_DIR}/silence.h ${CMAKE_CURRENT_LIST_DIR}/silence.cpp
    ${CMAKE_CURRENT_LIST_DIR}/notification.h ${CMAKE_CURRENT_LIST_DIR}/notification.cpp
    ${CMAKE_CURRENT_LIST_DIR}/notificationtext.h ${CMAKE_CURRENT_LIST_DIR}/notificationtext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/notificationgrouper.h ${CMAKE_CURRENT_LIST_DIR}/notificationgrouper.cpp
    ${CMAKE_CURRENT_LIST_DIR}/delivery.h
    ${CMAKE_CURRENT_LIST_DIR}/outbox.h ${CMAKE_CURRENT_LIST_DIR}/outbox.cpp
    ${CMAKE_CURRENT_LIST_DIR}/channelworker.h ${CMAKE_CURRENT_LIST_DIR}/channelworker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alertdispatcher.h ${CMAKE_CURRENT_LIST_DIR}/alertdispatcher.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alertmanager.h ${CMAKE_CURRENT_LIST_DIR}/alertmanager.cpp
    ${CMAKE_CURRENT_LIST_DIR}/channels/alertchannel.h
    ${CMAKE_CURRENT_LIST_DIR}/channels/alertchannels.h ${CMAKE_CURRENT_LIST_DIR}/channels/alertchannels.cpp
    ${CMAKE_CURRENT_LIST_DIR}/channels/webhooksignature.h ${CMAKE_CURRENT_LIST_DIR}/channels/webhooksignature.cpp
    ${CMAKE_CURRENT_LIST_DIR}/channels/webhookchannel.h ${CMAKE_CURRENT_LIST_DIR}/channels/webhookchannel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/channels/telegramchannel.h ${CMAKE_CURRENT_LIST_DIR}/channels/telegramchannel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/channels/emailmessage.h ${CMAKE_CURRENT_LIST_DIR}/channels/emailmessage.cpp
    ${CMAKE_CURRENT_LIST_DIR}/channels/emailchannel.h ${CMAKE_CURRENT_LIST_DIR}/channels/emailchannel.cpp
)
